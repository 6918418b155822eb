"""The figure helpers of bncourse.figures: the statistics they draw, and that each draws without error."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from bncourse import figures as plotting  # noqa: E402


@pytest.mark.parametrize("kind, count, m", [("BatchNorm", 6, 4 * 4), ("LayerNorm", 4, 6 * 4),
                                            ("InstanceNorm", 4 * 6, 4), ("GroupNorm", 4 * 3, 2 * 4)])
def test_statistic_groups_count_the_statistics_and_their_sizes(kind, count, m):
    ids = plotting.statistic_groups(kind, N=4, C=6, HW=4, G=3)
    values, sizes = np.unique(ids, return_counts=True)
    assert ids.shape == (4, 6, 4) and len(values) == count and set(sizes) == {m}


def test_groupnorm_groups_are_consecutive_channels_of_one_sample():
    ids = plotting.statistic_groups("GroupNorm", N=2, C=6, HW=1, G=3)[:, :, 0]
    assert ids.tolist() == [[0, 0, 1, 1, 2, 2], [3, 3, 4, 4, 5, 5]]


def test_every_figure_helper_draws():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 1))
    calls = [
        lambda: plotting.plot_before_after(rng.standard_normal((50, 2)), rng.standard_normal((50, 2)), ["a", "b"]),
        lambda: plotting.plot_eps_shrink(np.logspace(-3, 1, 5), {1e-5: np.ones(5)}),
        lambda: plotting.plot_variance_errors(np.arange(1, 4), [0.0, 1e-3, 1.0], [0.0, 0.0, 1e-16]),
        lambda: plotting.draw_gradient_paths(),
        lambda: plotting.plot_gradient_terms(x, {"a": x, "b": -x}, 0 * x),
        lambda: plotting.plot_channel_columns([(np.zeros((4, 2)), "t"), (np.ones((4, 2)), "u")]),
        lambda: plotting.draw_normalization_grids(),
        lambda: plotting.plot_running_variance([1.0, 2.0], [1.0, 1.5], 4, 0.1),
        lambda: plotting.plot_jacobians({"train": np.eye(3), "eval": -np.eye(3)}),
        lambda: plotting.plot_spirals(rng.standard_normal((9, 2)), np.arange(9) % 3),
        lambda: plotting.plot_curves({"a": [1.0, 0.5]}, "loss", "t", log=True, ylim=(0.1, 2)),
        lambda: plotting.plot_preactivation_histograms({"a": {0: [x, x]}, "b": {0: [x, x]}}, (0,)),
        lambda: plotting.plot_gradient_norms({"a": np.ones((3, 2)), "b": np.ones((3, 2))}),
        lambda: plotting.plot_learning_rate_sweep([0.1, 1.0], {"a": [0.5, 0.9]}),
        lambda: plotting.plot_digits(rng.uniform(0, 1, (3, 64)), ["1", "2", "3"], ncols=2, title="t"),
        lambda: plotting.plot_validation_curves({"BatchNorm": np.ones((2, 3)), "plain": np.zeros((2, 3))}),
        lambda: plotting.plot_confusion_matrix(np.arange(9).reshape(3, 3)),
        lambda: plotting.plot_learning_rate_study([0.1, 1.0], {"plain": np.ones((2, 3))}, mark=0.5),
    ]
    for call in calls:
        assert call() is not None
        plt.close("all")


def test_the_confusion_matrix_writes_every_nonzero_count_in_its_cell():
    C = np.array([[5, 0], [2, 7]])
    ax = plotting.plot_confusion_matrix(C)
    assert sorted(t.get_text() for t in ax.texts) == ["2", "5", "7"]
    plt.close("all")


def test_the_two_networks_differ_by_more_than_colour():
    styles = plotting.network.STYLES
    assert styles["BatchNorm"]["ls"] != styles["plain"]["ls"]
    assert styles["BatchNorm"]["marker"] != styles["plain"]["marker"]


def test_batch_sizes_on_a_log_axis_are_labelled_as_numbers():
    ax = plotting.plot_bands({"a": np.ones((3, 5))}, x=[2, 4, 8, 16, 64], logx=True)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2", "4", "8", "16", "64"]
    plt.close("all")


def test_epochs_get_whole_numbers_only():
    ax = plotting.plot_bands({"a": np.ones((3, 20))})
    ax.figure.canvas.draw()
    assert all(float(t).is_integer() for t in ax.get_xticks())
    plt.close("all")


def test_a_legend_below_the_axes_hides_no_line():
    ax = plotting.plot_bands({"a": np.ones((3, 5)), "b": np.zeros((3, 5))}, legend="below")
    ax.figure.canvas.draw()
    legend_box = ax.get_legend().get_window_extent()
    assert legend_box.y1 < ax.get_window_extent().y0
    plt.close("all")


def test_the_layer_statistics_share_one_legend_under_the_panels():
    nets = {"plain": {"std": np.ones((2, 4)), "grad": np.ones((2, 4))},
            "BatchNorm": {"std": np.ones((2, 4)), "grad": np.ones((2, 4))}}
    axes = plotting.plot_layer_statistics(nets, [("std", "std", False), ("grad", "grad", True)])
    fig = axes[0].figure
    fig.canvas.draw()
    assert all(ax.get_legend() is None for ax in axes) and len(fig.legends) == 1
    assert fig.legends[0].get_window_extent().y1 < min(ax.get_window_extent().y0 for ax in axes)
    plt.close("all")
