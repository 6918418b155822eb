"""BatchNorm1d (train and eval mode), fold_batchnorm and the MLP pieces: finite differences, exactness, errors."""
import numpy as np
import pytest

import bnlib
from bnlib import (
    MLP,
    BatchNorm1d,
    GroupNorm1d,
    Linear,
    ReLU,
    batchnorm_eval_backward,
    batchnorm_eval_forward,
    fold_batchnorm,
    numerical_gradient,
    rel_error,
    softmax_cross_entropy,
    train_mlp,
)


def make_batch(N, D, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-4, 4, D) + rng.uniform(0.3, 3, D) * rng.standard_normal((N, D))
    dout = rng.standard_normal((N, D))
    return x, dout


def trained_bn(D=4, seed=0, steps=3, momentum=0.3):
    """A BatchNorm1d with gamma != 1, beta != 0 and running statistics away from 0 and 1."""
    rng = np.random.default_rng(seed)
    bn = BatchNorm1d(D, momentum=momentum, eps=1e-3)
    bn.gamma[:] = rng.uniform(0.5, 2.0, D) * rng.choice([-1, 1], D)
    bn.beta[:] = rng.standard_normal(D)
    for step in range(steps):
        bn.forward(make_batch(10, D, seed + 100 + step)[0])
    return bn


# ---------------------------------------------------------------- BatchNorm1d, training mode

def test_initial_state_is_pytorchs():
    bn = BatchNorm1d(3)
    assert bn.training and bn.momentum == 0.1 and bn.eps == 1e-5
    np.testing.assert_array_equal(bn.running_mean, np.zeros(3))
    np.testing.assert_array_equal(bn.running_var, np.ones(3))
    np.testing.assert_array_equal(bn.gamma, np.ones(3))
    np.testing.assert_array_equal(bn.beta, np.zeros(3))


def test_training_forward_is_batchnorm_forward_and_updates_with_the_unbiased_variance():
    x, _ = make_batch(6, 3, 1)
    bn = BatchNorm1d(3, momentum=0.25, eps=1e-3)
    out = bn.forward(x)
    expected, _ = bnlib.batchnorm_forward(x, bn.gamma, bn.beta, 1e-3)
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_allclose(bn.running_mean, 0.75 * 0 + 0.25 * x.mean(axis=0), rtol=1e-14)
    np.testing.assert_allclose(bn.running_var, 0.75 * 1 + 0.25 * x.var(axis=0, ddof=1), rtol=1e-14)


def test_running_variance_is_unbiased_even_for_tiny_batches():
    """With N = 4 a biased running variance would settle at 3/4 of the true one."""
    rng = np.random.default_rng(3)
    bn = BatchNorm1d(2, momentum=0.05)
    seen = []
    for _ in range(4000):
        bn.forward(np.array([5.0, -2.0]) + np.array([3.0, 0.5]) * rng.standard_normal((4, 2)))
        seen.append([*bn.running_mean, *bn.running_var])
    average = np.mean(seen[1000:], axis=0)   # after the start-up from (0, 1) has faded
    np.testing.assert_allclose(average[:2], [5.0, -2.0], atol=0.05)
    np.testing.assert_allclose(average[2:], [9.0, 0.25], rtol=0.04)


@pytest.mark.parametrize("momentum", [0.0, 1.0])
def test_momentum_zero_keeps_and_one_replaces(momentum):
    x, _ = make_batch(5, 3, 2)
    bn = BatchNorm1d(3, momentum=momentum)
    bn.forward(x)
    if momentum == 0.0:
        np.testing.assert_array_equal(bn.running_var, np.ones(3))
    else:
        np.testing.assert_allclose(bn.running_var, x.var(axis=0, ddof=1), rtol=1e-14)


def test_training_backward_matches_finite_differences():
    x, dout = make_batch(5, 4, 4)
    bn = trained_bn(4)
    bn.train()
    mean0, var0 = bn.running_mean.copy(), bn.running_var.copy()

    def f(z):
        bn.running_mean, bn.running_var = mean0.copy(), var0.copy()
        return bn.forward(z)

    f(x)
    dx = bn.backward(dout)
    assert rel_error(dx, numerical_gradient(f, x, dout)) < 1e-7
    gamma0 = bn.gamma.copy()

    def f_gamma(g):
        bn.gamma = g
        return f(x)

    dgamma = bn.dgamma.copy()
    assert rel_error(dgamma, numerical_gradient(f_gamma, gamma0, dout)) < 1e-7
    np.testing.assert_allclose(bn.dbeta, dout.sum(axis=0), rtol=1e-14)


def test_training_mode_refuses_a_batch_of_one():
    with pytest.raises(ValueError, match="batch too small: N = 1"):
        BatchNorm1d(3).forward(np.ones((1, 3)))


# ---------------------------------------------------------------- eval mode

def test_eval_mode_uses_the_running_statistics_and_changes_nothing():
    bn = trained_bn(3).eval()
    mean, var = bn.running_mean.copy(), bn.running_var.copy()
    x, _ = make_batch(4, 3, 5)
    out = bn.forward(x)
    np.testing.assert_allclose(out, bn.gamma * (x - mean) / np.sqrt(var + bn.eps) + bn.beta, rtol=1e-14)
    np.testing.assert_array_equal(bn.running_mean, mean)
    np.testing.assert_array_equal(bn.running_var, var)


def test_eval_mode_is_sample_by_sample_and_works_for_one_sample():
    bn = trained_bn(3).eval()
    x, _ = make_batch(5, 3, 6)
    whole = bn.forward(x)
    rows = np.vstack([bn.forward(x[i:i + 1]) for i in range(5)])
    np.testing.assert_allclose(rows, whole, rtol=1e-15, atol=1e-15)


def test_eval_backward_matches_finite_differences_and_the_closed_form():
    bn = trained_bn(4).eval()
    x, dout = make_batch(6, 4, 7)
    bn.forward(x)
    dx = bn.backward(dout)
    assert rel_error(dx, numerical_gradient(bn.forward, x, dout)) < 1e-8
    np.testing.assert_allclose(dx, dout * bn.gamma / np.sqrt(bn.running_var + bn.eps), rtol=1e-14)
    gamma0 = bn.gamma.copy()

    def f_gamma(g):
        bn.gamma = g
        return bn.forward(x)

    dgamma = bn.dgamma.copy()
    assert rel_error(dgamma, numerical_gradient(f_gamma, gamma0, dout)) < 1e-8


def test_eval_functions_check_their_inputs():
    x, dout = make_batch(3, 2, 8)
    with pytest.raises(ValueError, match="running_var must have shape"):
        batchnorm_eval_forward(x, np.ones(2), np.zeros(2), np.zeros(2), np.ones(3))
    with pytest.raises(ValueError, match=">= 0"):
        batchnorm_eval_forward(x, np.ones(2), np.zeros(2), np.zeros(2), -np.ones(2))
    with pytest.raises(TypeError, match="batchnorm_eval_forward"):
        batchnorm_eval_backward(dout, None)


@pytest.mark.parametrize("args, error, words", [
    ((0,), ValueError, ">= 1"),
    ((2.5,), TypeError, "integer"),
    ((3, 1.5), ValueError, r"momentum must be in \[0, 1\]"),
    ((3, "0.1"), TypeError, "momentum"),
    ((3, 0.1, 0.0), ValueError, "eps must be > 0"),
])
def test_constructor_refuses_bad_settings(args, error, words):
    with pytest.raises(error, match=words):
        BatchNorm1d(*args)


def test_forward_and_backward_refuse_bad_input():
    bn = BatchNorm1d(3)
    with pytest.raises(RuntimeError, match="forward"):
        bn.backward(np.ones((4, 3)))
    with pytest.raises(ValueError, match="D = 3 features"):
        bn.forward(np.ones((4, 2)))
    with pytest.raises(ValueError, match="2-D"):
        bn.forward(np.ones(3))
    with pytest.raises(ValueError, match="NaN"):
        bn.forward(np.full((4, 3), np.nan))
    bn.forward(np.arange(12.0).reshape(4, 3))
    with pytest.raises(ValueError, match="dout must have shape"):
        bn.backward(np.ones((3, 3)))


# ---------------------------------------------------------------- folding

@pytest.mark.parametrize("seed", range(5))
def test_folding_is_exact_to_float64_rounding(seed):
    rng = np.random.default_rng(seed)
    D_in, D_out = 5, 4
    lin = Linear(D_in, D_out, rng)
    lin.b[:] = rng.standard_normal(D_out)
    bn = trained_bn(D_out, seed=seed).eval()
    x = rng.standard_normal((7, D_in)) * 3
    pair = bn.forward(lin.forward(x))
    W_f, b_f = fold_batchnorm(lin.W, lin.b, bn)
    folded = x @ W_f + b_f
    # a few roundings of float64 (unit roundoff 1.1e-16) on values of order 1: measured <= 1e-15
    assert rel_error(folded, pair) < 1e-14


def test_folding_keeps_its_inputs_and_refuses_bad_ones():
    bn = trained_bn(3)
    W, b = np.ones((2, 3)), np.zeros(3)
    with pytest.raises(ValueError, match="call bn.eval"):
        fold_batchnorm(W, b, bn)
    bn.eval()
    with pytest.raises(ValueError, match=r"W must have shape \(D_in, 3\): its columns are the 3 features"):
        fold_batchnorm(np.ones((3, 2)), np.zeros(2), bn)
    with pytest.raises(ValueError, match="b must have shape"):
        fold_batchnorm(W, np.zeros(2), bn)
    with pytest.raises(TypeError, match="BatchNorm1d"):
        fold_batchnorm(W, b, "bn")
    fold_batchnorm(W, b, bn)
    np.testing.assert_array_equal(W, np.ones((2, 3)))
    np.testing.assert_array_equal(b, np.zeros(3))


# ---------------------------------------------------------------- the MLP pieces

def test_linear_backward_matches_finite_differences():
    rng = np.random.default_rng(9)
    lin = Linear(4, 3, rng)
    lin.b[:] = rng.standard_normal(3)
    x, dout = rng.standard_normal((5, 4)), rng.standard_normal((5, 3))
    lin.forward(x)
    dx = lin.backward(dout)
    assert rel_error(dx, numerical_gradient(lin.forward, x, dout)) < 1e-8
    W0 = lin.W.copy()

    def f_W(W):
        lin.W = W
        return lin.forward(x)

    dW = lin.dW.copy()
    assert rel_error(dW, numerical_gradient(f_W, W0, dout)) < 1e-8
    np.testing.assert_allclose(lin.db, dout.sum(axis=0))


def test_relu_backward_passes_gradient_where_the_input_was_positive():
    z = np.array([[-1.0, 2.0], [0.5, -0.1]])
    relu = ReLU()
    np.testing.assert_array_equal(relu.forward(z), [[0, 2], [0.5, 0]])
    np.testing.assert_array_equal(relu.backward(np.ones((2, 2))), [[0, 1], [1, 0]])


def test_softmax_cross_entropy_value_gradient_and_stability():
    rng = np.random.default_rng(10)
    logits, labels = rng.standard_normal((6, 3)) * 3, rng.integers(0, 3, 6)
    loss, dlogits = softmax_cross_entropy(logits, labels)
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert abs(loss - (-np.log(p[np.arange(6), labels]).mean())) < 1e-14
    numeric = numerical_gradient(lambda z: np.array([softmax_cross_entropy(z, labels)[0]]),
                                 logits, np.ones(1))
    assert rel_error(dlogits, numeric) < 1e-7
    big, _ = softmax_cross_entropy(np.array([[1000.0, 0.0]]), np.array([1]))
    assert big == pytest.approx(1000.0)
    with pytest.raises(ValueError, match="labels"):
        softmax_cross_entropy(logits, labels + 3)


@pytest.mark.parametrize("batchnorm", [False, True])
def test_mlp_backward_matches_finite_differences(batchnorm):
    rng = np.random.default_rng(11)
    model = MLP([3, 6, 5, 2], batchnorm=batchnorm, seed=1)
    x, labels = rng.standard_normal((8, 3)), rng.integers(0, 2, 8)

    def loss_of(z):
        if batchnorm:  # keep the running statistics out of the comparison
            for layer in model.layers:
                if isinstance(layer, BatchNorm1d):
                    layer.running_mean[:] = 0
                    layer.running_var[:] = 1
        return np.array([softmax_cross_entropy(model.forward(z), labels)[0]])

    loss_of(x)
    _, dlogits = softmax_cross_entropy(model.forward(x), labels)
    dx = model.backward(dlogits)
    assert rel_error(dx, numerical_gradient(loss_of, x, np.ones(1))) < 1e-6


def test_training_is_deterministic_and_learns_a_separable_problem():
    rng = np.random.default_rng(12)
    X = rng.standard_normal((256, 2))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    runs = [train_mlp(MLP([2, 16, 2], batchnorm=True, seed=0), X, y, lr=0.1, epochs=10,
                      batch_size=32, seed=0) for _ in range(2)]
    assert runs[0]["loss"] == runs[1]["loss"]
    assert runs[0]["train_acc"][-1] > 0.95
    assert runs[0]["grad_norms"].shape == (10, 2)


def test_a_diverging_run_is_stopped_without_warnings(recwarn):
    rng = np.random.default_rng(13)
    X = rng.standard_normal((128, 2)) * 10
    y = (X[:, 0] > 0).astype(int)
    history = train_mlp(MLP([2, 32, 32, 2], seed=0), X, y, lr=50.0, epochs=5, batch_size=32)
    assert history["diverged"]
    assert len(recwarn) == 0


def test_float32_input_stays_float32_in_both_modes():
    x, dout = make_batch(5, 3, 14)
    bn = BatchNorm1d(3)
    out = bn.forward(x.astype(np.float32))
    assert out.dtype == np.float32
    assert bn.backward(dout.astype(np.float32)).dtype == np.float32
    bn.eval()
    assert bn.forward(x.astype(np.float32)).dtype == np.float32


def test_network_pieces_refuse_bad_input():
    with pytest.raises(ValueError, match="D_in must be a positive integer"):
        Linear(0, 3)
    with pytest.raises(ValueError, match=r"x must have shape \(N, 4\)"):
        Linear(4, 3).forward(np.ones((2, 3)))
    with pytest.raises(TypeError, match="D_in must be a positive integer"):
        Linear("3", 3)
    with pytest.raises(RuntimeError, match="forward"):
        ReLU().backward(np.ones(2))
    relu, lin, group = ReLU(), Linear(4, 3), GroupNorm1d(4, 2)
    relu.forward(np.ones((2, 3)))
    lin.forward(np.ones((2, 4)))
    group.forward(np.arange(8.0).reshape(2, 4))
    with pytest.raises(ValueError, match=r"dout must have shape \(2, 3\)"):
        relu.backward(np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"dout must have shape \(2, 3\)"):
        lin.backward(np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"dout must have shape \(2, 4\)"):
        group.backward(np.ones((2, 3)))
    with pytest.raises(ValueError, match="norm must be one of None, 'batch', 'layer', 'group'; got 'instance'"):
        MLP([2, 3, 2], norm="instance")
    with pytest.raises(ValueError, match="sizes"):
        MLP([3])
    X, y = np.ones((8, 2)), np.zeros(8, dtype=int)
    with pytest.raises(ValueError, match="lr must be a positive number"):
        train_mlp(MLP([2, 3, 2]), X, y, lr=-1.0, epochs=1)
    with pytest.raises(TypeError, match="lr must be a positive number"):
        train_mlp(MLP([2, 3, 2]), X, y, lr="0.1", epochs=1)
    with pytest.raises(ValueError, match="integer class labels"):
        train_mlp(MLP([2, 3, 2]), X, y.astype(float), lr=0.1, epochs=1)
    with pytest.raises(ValueError, match="batch_size"):
        train_mlp(MLP([2, 3, 2]), X, y, lr=0.1, epochs=1, batch_size=64)


def test_momentum_none_is_the_plain_average_of_all_batches():
    bn = BatchNorm1d(3, momentum=None)
    batches = [make_batch(6, 3, 20 + t)[0] for t in range(4)]
    for x in batches:
        bn.forward(x)
    assert bn.num_batches_tracked == 4
    np.testing.assert_allclose(bn.running_mean, np.mean([x.mean(axis=0) for x in batches], axis=0), rtol=1e-13)
    np.testing.assert_allclose(bn.running_var, np.mean([x.var(axis=0, ddof=1) for x in batches], axis=0),
                               rtol=1e-13)


# ---------------------------------------------------------------- no bias before BatchNorm; LayerNorm1d, GroupNorm1d

def test_the_linear_layer_before_batchnorm_has_no_bias_and_the_others_keep_theirs():
    from bnlib import GroupNorm1d, LayerNorm1d
    model = MLP([2, 4, 4, 3], batchnorm=True, seed=0)
    assert [layer.b is None for layer in model.linear_layers] == [True, True, False]
    assert all(l.b is not None for l in MLP([2, 4, 4, 3], batchnorm=True, bias_before_batchnorm=True).linear_layers)
    assert all(l.b is not None for l in MLP([2, 4, 4, 3], norm="layer").linear_layers)
    assert [type(l) for l in MLP([2, 4, 3], norm="layer").layers][1] is LayerNorm1d
    assert [type(l) for l in MLP([2, 4, 3], norm="group", groups=2).layers][1] is GroupNorm1d
    assert set(Linear(3, 2, bias=False).params()) == {"W"}
    with pytest.raises(ValueError, match="norm must be"):
        MLP([2, 4, 3], norm="instance")
    with pytest.raises(ValueError, match="weight_scale"):
        Linear(3, 2, weight_scale=-1.0)


@pytest.mark.parametrize("norm", ["layer", "group"])
def test_mlp_with_layernorm_or_groupnorm_matches_finite_differences(norm):
    rng = np.random.default_rng(21)
    model = MLP([3, 8, 6, 2], norm=norm, groups=2, seed=1)
    x, labels = rng.standard_normal((5, 3)), rng.integers(0, 2, 5)
    loss_of = lambda z: np.array([softmax_cross_entropy(model.forward(z), labels)[0]])
    _, dlogits = softmax_cross_entropy(model.forward(x), labels)
    dx = model.backward(dlogits)
    assert rel_error(dx, numerical_gradient(loss_of, x, np.ones(1))) < 1e-6
    norm_layer = model.layers[1]
    gamma0 = norm_layer.gamma.copy()

    def loss_of_gamma(g):
        norm_layer.gamma[:] = g
        return np.array([softmax_cross_entropy(model.forward(x), labels)[0]])

    numeric = numerical_gradient(loss_of_gamma, gamma0.copy(), np.ones(1))
    norm_layer.gamma[:] = gamma0
    model.forward(x)
    model.backward(dlogits)
    assert rel_error(norm_layer.dgamma, numeric) < 1e-6


def test_a_layernorm_sample_does_not_depend_on_its_batch():
    from bnlib import LayerNorm1d
    x = np.random.default_rng(3).standard_normal((4, 6))
    layer = LayerNorm1d(6)
    assert np.allclose(layer.forward(x)[:1], layer.forward(x[:1]))


def test_the_jacobian_functions():
    from bnlib import batchnorm_jacobian, projection_defect, projection_matrix
    x = np.array([1.0, 3.0, -2.0, 0.5])
    J0 = batchnorm_jacobian(x, 1.0, 0)
    assert np.allclose(J0 @ J0 * np.sqrt(x.var()), J0, atol=1e-12)      # eps = 0: (s J)^2 = s J
    assert np.allclose(batchnorm_jacobian(x, 2.0, 0.1).sum(axis=0), 0, atol=1e-12)
    xhat = (x - x.mean()) / np.sqrt(x.var() + 0.5)
    P = projection_matrix(xhat)
    assert np.allclose(P @ xhat, projection_defect(x.var(), 0.5) * xhat)
    with pytest.raises(ValueError, match="ONE feature"):
        batchnorm_jacobian(np.ones((3, 2)))
    with pytest.raises(ValueError, match="constant"):
        batchnorm_jacobian(np.ones(3), 1.0, 0)
    with pytest.raises(ValueError, match="m >= 2"):
        batchnorm_jacobian(np.ones(1))


def test_layers_share_one_base():
    from bnlib.base import Layer
    model = MLP([2, 3, 2], batchnorm=True)
    assert all(isinstance(layer, Layer) for layer in model.layers) and isinstance(model, Layer)
    assert model.eval() is model and not any(layer.training for layer in model.layers)
    assert ReLU().params() == {} == ReLU().grads()


# ---------------------------------------------------------------- deeper networks: tanh, residual blocks, weight decay

def test_tanh_backward_matches_finite_differences():
    from bnlib import Tanh
    rng = np.random.default_rng(30)
    z, dout = rng.standard_normal((5, 4)) * 2, rng.standard_normal((5, 4))
    layer = Tanh()
    np.testing.assert_allclose(layer.forward(z), np.tanh(z))
    assert rel_error(layer.backward(dout), numerical_gradient(layer.forward, z, dout)) < 1e-8


@pytest.mark.parametrize("alpha", [1.0, 0.3, 0.0])
def test_residual_block_matches_finite_differences(alpha):
    from bnlib import Residual
    rng = np.random.default_rng(31)
    block = Residual([Linear(4, 4, rng), ReLU()], alpha=alpha)
    x, dout = rng.standard_normal((6, 4)), rng.standard_normal((6, 4))
    f = np.maximum(x @ block.branch[0].W + block.branch[0].b, 0)
    np.testing.assert_allclose(block.forward(x), x + alpha * f)
    dx = block.backward(dout)
    assert rel_error(dx, numerical_gradient(block.forward, x, dout)) < 1e-8
    assert block.dalpha[0] == pytest.approx(np.sum(dout * f))
    if alpha == 0:
        np.testing.assert_array_equal(dx, dout)          # SkipInit: the block starts as the identity
        np.testing.assert_array_equal(block.branch[0].dW, 0)


@pytest.mark.parametrize("options", [dict(activation="tanh", norm="batch"),
                                     dict(residual=True, norm="batch", alpha=0.5, gamma=0.3),
                                     dict(residual=True, activation="tanh")])
def test_deep_mlp_variants_match_finite_differences(options):
    rng = np.random.default_rng(32)
    model = MLP([3, 5, 5, 5, 2], seed=2, **options)
    x, labels = rng.standard_normal((7, 3)), rng.integers(0, 2, 7)

    def loss_of(z):
        return np.array([softmax_cross_entropy(model.forward(z), labels)[0]])

    _, dlogits = softmax_cross_entropy(model.forward(x), labels)
    dx = model.backward(dlogits)
    assert rel_error(dx, numerical_gradient(loss_of, x, np.ones(1))) < 1e-6
    if options.get("residual"):
        blocks = [layer for layer in model.layers if hasattr(layer, "branch")]
        assert len(blocks) == 2 and len(model.linear_layers) == 4
        block = blocks[-1]
        numeric = numerical_gradient(lambda a: (block.alpha.__setitem__(0, a[0]), loss_of(x))[1],
                                     block.alpha.copy(), np.ones(1))
        model.forward(x)
        model.backward(dlogits)
        assert rel_error(block.dalpha, numeric) < 1e-6
    assert len(model.preactivations) == 3


def test_weight_decay_shrinks_the_weights_only():
    rng = np.random.default_rng(33)
    model = MLP([3, 4, 2], norm="batch", seed=0)
    x, labels = rng.standard_normal((6, 3)), rng.integers(0, 2, 6)
    _, dlogits = softmax_cross_entropy(model.forward(x), labels)
    model.backward(dlogits)
    before = [dict((k, v.copy()) for k, v in layer.params().items()) for layer in model.layers]
    grads = [dict((k, v.copy()) for k, v in layer.grads().items()) for layer in model.layers]
    model.step(0.1, weight_decay=0.5)
    for layer, old, g in zip(model.layers, before, grads):
        for name, p in layer.params().items():
            decay = 0.5 * old[name] if name == "W" else 0.0
            np.testing.assert_allclose(p, old[name] - 0.1 * (g[name] + decay))
    X = rng.standard_normal((64, 3))
    y = (X[:, 0] > 0).astype(int)
    norms = [np.linalg.norm(train_mlp(MLP([3, 8, 2], norm="batch", seed=0), X, y, lr=0.1, epochs=3,
                                      batch_size=16, weight_decay=wd)["grad_norms"]) for wd in (0.0, 0.1)]
    assert norms[0] != norms[1]


def test_deep_mlp_options_are_validated():
    with pytest.raises(ValueError, match="activation must be"):
        MLP([2, 3, 2], activation="sigmoid")
    with pytest.raises(ValueError, match="alpha must be a number >= 0"):
        MLP([2, 3, 3, 2], residual=True, alpha=-1.0)
    with pytest.raises(ValueError, match="gamma must be a positive number"):
        MLP([2, 3, 2], norm="batch", gamma=0.0)
    X, y = np.zeros((8, 2)), np.zeros(8, dtype=int)
    with pytest.raises(TypeError, match="weight_decay must be a number"):
        train_mlp(MLP([2, 3, 2]), X, y, lr=0.1, epochs=1, batch_size=4, weight_decay="0.1")
