r"""Hints a step at a time: ``hint("02.3")`` in a notebook cell.

A failed check ends with one hint: the idea, never the answer. A learner who asks for more gets it
in three steps, one per call of :func:`hint` for the same exercise:

1. **the idea** (what the checker's message shows, for the mistake it found, and the exercise's idea);
2. **the equation** to implement;
3. **a skeleton** of the code, with ``...`` where the learner's part goes.

The steps of each exercise are in :data:`TIERS`, keyed by the exercise's id ("02.3": notebook 02, its
third code exercise). An exercise without an entry (a new one) still gets its checker's own hint, the
one of its last failure. ``hint()`` without an id is about the exercise whose check failed last.
Progress and the nbgrader feedback show the first step only: the checker's message. In the course's
kernel ``hint`` is defined in every notebook (:mod:`bncourse.checks.display` puts it there);
elsewhere, ``from bncourse.checks import hint``.
"""
from . import core

__all__ = ["hint", "TIERS", "exercise_of", "more_help"]

LEVELS = ("the idea", "the equation", "a skeleton to fill in")

#: exercise id -> (the idea, the equation, a skeleton of the code)
TIERS = {
    "00.1": (
        "BatchNorm keeps one mean per feature, and a feature is a column of x: average each column "
        "over the rows (the batch axis).",
        "mu_B = (1/m) sum_i x_i for each feature: with x of shape (N, D), the sum over axis 0 divided "
        "by N = m.",
        "N = x.shape[0]\nreturn x.sum(axis=...) / ...",
    ),
    "01.1": (
        "Three steps for each feature (column): its batch statistics, the normalization, then the scale "
        "and shift; every reduction runs over the batch axis, and eps is the argument eps.",
        "mu = (1/m) sum_i x_i,  var = (1/m) sum_i (x_i - mu)^2,  xhat_i = (x_i - mu) / sqrt(var + eps),  "
        "out_i = gamma xhat_i + beta",
        "mu = x.mean(axis=...)\nvar = ((x - mu) ** 2).mean(axis=...)\nxhat = (x - mu) / np.sqrt(...)\n"
        "return ... * xhat + ...",
    ),
    "01.2": (
        "Subtract the mean first, then average the squares: in two passes a large mean cancels exactly "
        "before anything is squared.",
        "var = (1/m) sum_i (x_i - mu_B)^2 per feature (axis 0), biased: divide by m = N.",
        "xmu = x - x.mean(axis=...)\nreturn (...).mean(axis=...)",
    ),
    "01.3": (
        "gamma and beta must undo the normalization, which subtracted mu_B and divided by "
        "sqrt(var + eps).",
        "gamma (x_i - mu_B) / sqrt(var + eps) + beta = x_i for every x_i when gamma = sqrt(var + eps) "
        "and beta = mu_B.",
        "mu = x.mean(axis=0)\nvar = ...\nreturn np.sqrt(...), ...",
    ),
    "02.1": (
        "One node, one local derivative: multiply the incoming gradient distd by d istd / d var.",
        "istd = (var + eps)^(-1/2), so d istd / d var = -1/2 (var + eps)^(-3/2), and dvar = distd times it.",
        "return distd * (-0.5) * (var + eps) ** ...",
    ),
    "02.2": (
        "The derivative of a product with respect to one factor is the other factor; istd is shared by "
        "all rows, so its gradient sums over the batch.",
        "dxmu_i = dxhat_i istd (shape (N, D));  distd = sum_i dxhat_i xmu_i (shape (D,))",
        "dxmu = dxhat * ...\ndistd = (dxhat * ...).sum(axis=...)\nreturn dxmu, distd",
    ),
    "02.3": (
        "Run the nine forward nodes, then visit them in reverse: gradient in = gradient out times the "
        "local derivative. A value that feeds two nodes (xmu, then x) adds the gradients of both.",
        "The local derivatives, node 9 to node 1: d out/d gx = 1, d gx/d xhat = gamma, "
        "d xhat/d xmu = istd and d xhat/d istd = xmu, d istd/d std = -1/std^2, d std/d var = 1/(2 std), "
        "d var/d sq_i = 1/m, d sq_i/d xmu_i = 2 xmu_i, d xmu_i/d x_i = 1 and d xmu_i/d mu = -1, "
        "d mu/d x_i = 1/m. A shared (D,) value sums over the batch.",
        "# the forward nodes 1-7: mu, xmu, sq, var, std, istd, xhat\n"
        "dbeta = dout.sum(axis=0)\ndgamma = ...\ndxhat = ...\n"
        "distd = ...                  # node 7: istd is shared, sum over the batch\n"
        "dxmu = dxhat * istd          # node 7: the first of xmu's two gradients\n"
        "dvar = ...                   # nodes 6 and 5\n"
        "dxmu = dxmu + ...            # nodes 4 and 3: xmu's second gradient, through sq\n"
        "dmu = ...                    # node 2\n"
        "dx = dxmu + ...              # node 1: x's second gradient, through mu\n"
        "return dx, dgamma, dbeta",
    ),
    "03.1": (
        "gamma and beta are shared by all rows of the batch: each row adds its contribution, so both "
        "gradients are sums over the batch.",
        "dgamma = sum_i dy_i xhat_i,  dbeta = sum_i dy_i, per feature (axis 0)",
        "return (dout * ...).sum(axis=...), dout.sum(axis=...)",
    ),
    "03.2": (
        "Three inputs, three gradients: every row has its own xhat_i (no sum), while gamma and beta are "
        "shared by the rows (a sum over the batch).",
        "dxhat_i = gamma dy_i (shape (N, D));  dgamma = sum_i dy_i xhat_i,  dbeta = sum_i dy_i (shape (D,))",
        "dxhat = dout * ...\ndgamma = ...\ndbeta = ...\nreturn dxhat, dgamma, dbeta",
    ),
    "04.1": (
        "c reaches the loss along two paths: directly through every xhat_i, and through v. The second one "
        "no longer vanishes, because sum_i (x_i - c) is not 0.",
        "dL/dc = -sum_i dxhat_i / sqrt(v + eps) + dL/dv (-2/m) sum_i (x_i - c),  with "
        "dL/dv = -1/2 (v + eps)^(-3/2) sum_i dxhat_i (x_i - c)",
        "m = x.shape[0]\nxc = x - c\nv = ...\ndv = -0.5 * (v + eps) ** ... * (dxhat * xc).sum(axis=0)\n"
        "return -dxhat.sum(axis=0) / ... + dv * ... * xc.sum(axis=0)",
    ),
    "04.2": (
        "The same three paths as in notebook 04 (direct, through the mean, through the variance); only "
        "the local derivative of the variance changes, since s^2 divides by m - 1. The mean still "
        "divides by m.",
        "dx_i = dxhat_i / sqrt(s^2 + eps) + dL/ds^2 2 (x_i - mu_B)/(m - 1) + dL/dmu_B / m,  with "
        "dL/ds^2 = -1/2 (s^2 + eps)^(-3/2) sum_j dxhat_j (x_j - mu_B) and "
        "dL/dmu_B = -sum_j dxhat_j / sqrt(s^2 + eps)",
        "m = x.shape[0]\nxmu = x - x.mean(axis=0)\nistd = 1.0 / np.sqrt(... / (m - 1) + eps)\n"
        "dxhat = gamma * dout\nds2 = ...\ndmu = ...\nreturn dxhat * istd + ds2 * ... + dmu / ...",
    ),
    "05.1": (
        "Recompute mu, var, istd and xhat from x; then the two sums of notebook 03, dbeta and dgamma; dx "
        "is one expression of them (the boxed formula).",
        "dx_i = gamma istd / m (m dy_i - dbeta - xhat_i dgamma),  dbeta = sum_j dy_j,  "
        "dgamma = sum_j dy_j xhat_j",
        "m = x.shape[0]\nmu = ...\nvar = ...\nistd = 1.0 / np.sqrt(var + eps)\nxhat = (x - mu) * istd\n"
        "dbeta = ...\ndgamma = ...\ndx = gamma * istd / m * (...)\nreturn dx, dgamma, dbeta",
    ),
    "05.2": (
        "Write the boxed formula in the names of bncourse.symbolic: the statistics stay functions of x "
        "(S.batch_variance(), S.normalized(k)), and every sum runs over j from 1 to m.",
        "dL/dx_k = gamma / (m sqrt(sigma_B^2 + eps)) (m dy_k - sum_j dy_j - xhat_k sum_j dy_j xhat_j)",
        "istd = 1 / sp.sqrt(S.batch_variance() + eps)\n"
        "return gamma * istd / m * (m * dy[k] - S.batch_sum(..., j) - S.normalized(k) * S.batch_sum(..., j))",
    ),
    "06.1": (
        "Compare the formula's dx with finite differences of bnlib.batchnorm_forward, on a batch where "
        "no mistake can hide: gamma != 1, beta != eps, eps not tiny, features of different scales, N >= 3.",
        "correct when rel_error(formula(x, gamma, beta, eps, dout), numerical_gradient(f, x, dout)) < 1e-6 "
        "with f(z) = batchnorm_forward(z, gamma, beta, eps); NaN or inf anywhere is wrong",
        "x, gamma, beta, eps, dout = ...   # your batch\n"
        "numeric = bnlib.numerical_gradient(lambda z: bnlib.batchnorm_forward(z, gamma, beta, eps), x, dout)\n"
        "with np.errstate(invalid=\"ignore\"):\n    claimed = formula(...)\n"
        "return \"correct\" if ... else \"wrong\"",
    ),
    "06.2": (
        "One test point can hide an error: compare the two forms as functions, whose difference must "
        "cancel identically.",
        "correct exactly when same(printed, TRUE[quantity]): posts.same brings both sides to one "
        "fraction and expands the difference",
        "return \"correct\" if same(..., TRUE[...]) else \"wrong\"",
    ),
    "07.1": (
        "BatchNorm per channel is 2-D BatchNorm on a matrix whose columns are the channels: move C last, "
        "flatten the rest into rows, normalize, then undo both steps in reverse order.",
        "(N, C, H, W) -> .transpose(0, 2, 3, 1) -> (N, H, W, C) -> .reshape(N*H*W, C); after "
        "bnlib.batchnorm_forward(rows, gamma, beta, eps): .reshape(N, H, W, C) -> .transpose(0, 3, 1, 2)",
        "N, C, H, W = x.shape\nrows = x.transpose(...).reshape(..., C)\n"
        "out2d, _ = bnlib.batchnorm_forward(rows, gamma, beta, eps)\nreturn out2d.reshape(...).transpose(...)",
    ),
    "07.2": (
        "LayerNorm's statistics are per sample, so its sums run over the D features of each row. gamma "
        "varies along that axis and must stay inside the sums: start from g = dout * gamma = dL/dxhat.",
        "dx = istd / D (D g - sum_d g - xhat sum_d g xhat), sums over axis 1 (keepdims);  "
        "dgamma = sum_n dout xhat,  dbeta = sum_n dout, over axis 0",
        "D = dout.shape[1]\ng = dout * gamma\ndx = istd / D * (D * g - g.sum(axis=..., keepdims=True) - ...)\n"
        "return dx, ..., ...",
    ),
    "07.3": (
        "A group is C/G consecutive channels of one sample: view x as (N, G, C/G, H, W) and take the "
        "statistics over the last three axes; gamma and beta stay one per channel.",
        "mu and var over axes (2, 3, 4) of x.reshape(N, G, C // G, H, W); xhat = (x - mu) / sqrt(var + eps), "
        "back to (N, C, H, W); out = gamma_c xhat + beta_c",
        "N, C, H, W = x.shape\ngroups = x.reshape(N, G, ..., H, W)\n"
        "mu = groups.mean(axis=..., keepdims=True)\nvar = ...\nxhat = (...).reshape(N, C, H, W)\n"
        "return gamma.reshape(1, C, 1, 1) * xhat + ...",
    ),
    "08.1": (
        "PyTorch mixes the old value and the batch's statistic, momentum being the weight of the batch; "
        "the variance it keeps is the unbiased one.",
        "new_mean = (1 - momentum) old_mean + momentum mu_B;  new_var = (1 - momentum) old_var + momentum "
        "sum_i (x_i - mu_B)^2 / (N - 1)",
        "N = x.shape[0]\nmu = ...\nvar_unbiased = ...\nreturn ((1 - momentum) * running_mean + ..., ...)",
    ),
    "08.2": (
        "In eval mode the batch's own statistics play no part: every sample is normalized with "
        "running_mean and running_var.",
        "y = gamma (x - running_mean) / sqrt(running_var + eps) + beta",
        "xhat = (x - ...) / np.sqrt(...)\nreturn ...",
    ),
    "08.3": (
        "Eval-mode BatchNorm is an affine map of each output feature, y = s z + c with fixed s and c: "
        "substitute z = x W + b, then collect what multiplies x and what does not.",
        "s = gamma / sqrt(running_var + eps), one per output feature;  y = (x W + b - running_mean) s + beta",
        "s = bn.gamma / np.sqrt(...)\nW_folded = W * ...        # scales column j (output feature j) by s[j]\n"
        "b_folded = (...) * s + ...\nreturn W_folded, b_folded",
    ),
    "09.1": (
        "One step: training mode, forward pass, loss, backward pass, update. The loss to return is the "
        "one of this forward pass, before the update.",
        "model.train(); logits = model.forward(x); loss, dlogits = softmax_cross_entropy(logits, labels); "
        "model.backward(dlogits); model.step(lr)",
        "model.train()\nlogits = ...\nloss, dlogits = softmax_cross_entropy(...)\nmodel.backward(...)\n"
        "model.step(...)\nreturn loss",
    ),
    "09.2": (
        "One number per Linear layer, computed from its weight gradient layer.dW, in the order of "
        "model.linear_layers.",
        "||dW||_F = sqrt(sum_kj dW_kj^2): every entry squared, all of them summed, then the square root "
        "(not the largest entry, not the spectral norm)",
        "return np.array([np.sqrt(...) for layer in model.linear_layers])",
    ),
    "10.1": (
        "Go back through BatchNorm first, to the gradient dz at its input; then through the linear layer "
        "z = x W + b, as for any linear layer. Pass eps on to bnlib.",
        "dz = batchnorm_backward(dout, cache)[0] with the cache of batchnorm_forward(x @ W + b, gamma, beta, "
        "eps);  dW = x^T dz,  db = sum_i dz_i",
        "_, cache = bnlib.batchnorm_forward(..., gamma, beta, eps)\ndz, _, _ = bnlib.batchnorm_backward(dout, cache)\n"
        "return x.T @ ..., ...",
    ),
    "10.2": (
        "Entry (j, k) says how y_j moves when x_k moves: the direct path (only when j = k), the path "
        "through mu_B (every entry) and the path through sigma_B^2.",
        "J = gamma / (m s) (m I - 1 1^T - xhat xhat^T),  s = sqrt(sigma_B^2 + eps)",
        "m = x.shape[0]\ns = np.sqrt(x.var() + eps)\nxhat = ...\n"
        "return gamma / (m * s) * (m * np.eye(m) - ... - np.outer(..., ...))",
    ),
    "12.1": (
        "Differentiate sigma_B^2 = (1/m) sum_j (x_j - mu_B)^2 square by square: one square holds x_k "
        "directly, every square depends on x_k through mu_B. Reduce the sums with the three rules.",
        "d sigma_B^2 / d x_k = (1/m) sum_j 2 (x_j - mu_B)(delta_jk - 1/m) = (2/m)(x_k - mu_B) - "
        "(2/m^2) sum_j (x_j - mu_B), and the last sum is 0",
        "return ... * (x[k] - S.batch_mean()) / ...",
    ),
    "13.1": (
        "The mean cross-entropy's gradient at the logits is the softmax minus the one-hot label, for each "
        "sample, and the mean divides it by the batch size; subtract each row's largest logit before exp.",
        "p_ik = exp(l_ik - max_k l_ik) / sum_k exp(l_ik - max_k l_ik);  dlogits_ik = (p_ik - [k == y_i]) / N",
        "N = logits.shape[0]\ne = np.exp(logits - logits.max(axis=1, keepdims=True))\np = e / ...\n"
        "p[np.arange(N), labels] -= ...\nreturn p / ...",
    ),
    "13.2": (
        "logits = h W2 + b2: each weight is used by every sample, so its gradient adds up the samples' "
        "contributions; the bias is added to every row; h reaches the logits through W2.",
        "dh = dlogits W2^T (N, H);  dW2 = h^T dlogits (H, K);  db2 = sum_i dlogits_i (K,)",
        "dh = dlogits @ ...\ndW2 = ... @ dlogits\ndb2 = dlogits.sum(axis=...)\nreturn dh, dW2, db2",
    ),
    "13.3": (
        "tanh acts entry by entry, so da is dh times tanh's slope at each entry; write the slope with the "
        "output h that the forward pass kept, not with a.",
        "d tanh(a) / da = 1 - tanh(a)^2 = 1 - h^2, so da = dh (1 - h^2), entry by entry",
        "return dh * (1.0 - ...)",
    ),
    "13.4": (
        "The compact formula of notebook 05, unchanged: recompute mu, the variance and xhat from x with "
        "eps, then the two sums over the batch that dx needs.",
        "dbeta = sum_i dout_i,  dgamma = sum_i dout_i xhat_i,  "
        "dx_i = gamma / (m sqrt(var + eps)) (m dout_i - dbeta - xhat_i dgamma)",
        "m = x.shape[0]\nmu = x.mean(axis=0)\nistd = 1.0 / np.sqrt(... + eps)\nxhat = ...\n"
        "dbeta = ...\ndgamma = ...\ndx = gamma * istd / m * (...)\nreturn dx, dgamma, dbeta",
    ),
    "13.5": (
        "z = x W1 is a linear layer without a bias: each weight W1[d, j] multiplies feature d of every "
        "image, so its gradient sums over the batch.",
        "dW1 = x^T dz, of shape (D_in, H)",
        "return ... @ dz",
    ),
    "14.1": (
        "The running statistics should be the plain average of this pass's batches: momentum None averages "
        "with weight 1/t from num_batches_tracked; training mode makes the forward pass update them, and "
        "without a backward pass and a step no parameter moves.",
        "for each BatchNorm1d layer: momentum = None and num_batches_tracked = 0; model.train(); "
        "model.forward(X[start:start + batch_size]) for every batch; momentum back; return model.eval()",
        "layers = [layer for layer in model.layers if isinstance(layer, BatchNorm1d)]\n"
        "momenta = [layer.momentum for layer in layers]\nfor layer in layers:\n    layer.momentum = ...\n"
        "    layer.num_batches_tracked = ...\nmodel.train()\nfor start in range(0, len(X), batch_size):\n"
        "    model.forward(...)\n...\nreturn model.eval()",
    ),
    "14.2": (
        "Var X = E[X^2] - E[X]^2 with a and x independent: a^2 = a for a Bernoulli variable, and inverted "
        "dropout keeps the mean; at inference dropout is off and the unit keeps its own variance.",
        "E[X] = c;  E[X^2] = keep (c^2 + v) / keep^2 = (c^2 + v) / keep;  var_train = (c^2 + v) / keep - c^2;  "
        "var_test = v",
        "var_train = (...) / keep - ...\nvar_test = ...\nreturn var_train, var_test",
    ),
    "14.3": (
        "Each micro-batch is a batch of its own for BatchNorm: its own mean and variance in the forward "
        "pass, its own sums in the backward pass. dx keeps each micro-batch's rows; dgamma and dbeta add up.",
        "for rows k*micro .. (k+1)*micro - 1: (dx_rows, dgamma_k, dbeta_k) = batchnorm_backward(dout_rows, "
        "cache of batchnorm_forward(x_rows)); dgamma = sum_k dgamma_k, dbeta = sum_k dbeta_k",
        "dx = np.zeros_like(x)\ndgamma, dbeta = np.zeros_like(gamma), np.zeros_like(beta)\n"
        "for start in range(0, len(x), micro):\n    rows = slice(start, start + micro)\n"
        "    _, cache = bnlib.batchnorm_forward(...)\n    dx[rows], dgamma_k, dbeta_k = ...\n    ...\n"
        "return dx, dgamma, dbeta",
    ),
    "15.1": (
        "The compact formula needs only two sums over the whole batch, sum dy and sum dy xhat: each shard "
        "computes its part, the all-reduce adds the parts, and every shard finishes its own rows.",
        "dbeta = allreduce(sum over each shard's rows of dy);  dgamma = allreduce(sum of dy xhat);  "
        "on each shard dx = gamma istd / m (m dy - dbeta - xhat dgamma), m the whole batch's rows",
        "dbeta = allreduce([d.sum(axis=0) for d in douts])\ndgamma = allreduce([...])\n"
        "dxs = [gamma * istd / m * (...) for d, h in zip(douts, xhats)]\nreturn dxs, dgamma, dbeta",
    ),
    "15.2": (
        "LayerNorm's derivation without the mean: each row is divided by its rms, so x_d reaches the "
        "output directly and through the rms of its whole row; gamma varies along the row, so start from "
        "g = dout * gamma.",
        "g = dout gamma;  dx = irms / D (D g - xhat sum_d g xhat), the sum over the features (axis 1, "
        "keepdims);  dgamma = sum_n dout xhat",
        "D = dout.shape[1]\ng = dout * gamma\ndx = irms / D * (D * g - xhat * (...).sum(axis=..., keepdims=True))\n"
        "return dx, ...",
    ),
    "16.1": (
        "y = x + alpha f(x): x reaches y along the skip path (slope 1) and along the branch, scaled by alpha; "
        "add what comes back along each. alpha multiplies every entry of f(x).",
        "dx = dout + branch_backward(alpha dout);  dalpha = sum over all entries of dout f(x)",
        "dx = dout + branch_backward(...)\ndalpha = np.sum(...)\nreturn dx, dalpha",
    ),
}

_ASKED = {}


def _exercise_index():
    """{(checker name, name of the function it is called with): exercise id}, read from the checker
    cells of the solution notebooks (new notebooks are picked up by themselves); {} without them."""
    global _INDEX
    if _INDEX is None:
        try:
            from ..notebook import checker_calls
            _INDEX = checker_calls()
        except Exception:      # no notebooks next to the package: ids are then given by hand
            _INDEX = {}
    return _INDEX


_INDEX = None


def exercise_of(checker, function=None):
    """The exercise id of a check: a question's own id, or the id of the exercise whose checker cell
    calls ``checker`` with ``function`` (the name of the learner's function); None if unknown."""
    if checker is None:
        return None
    if not checker.startswith("check_"):
        return checker                          # a question: "02.q1"
    index = _exercise_index()
    if (checker, function) in index:
        return index[checker, function]
    ids = {ex for (name, _), ex in index.items() if name == checker}
    return ids.pop() if len(ids) == 1 else None


def _last_failed():
    """The checker (or question) whose check failed last, or None."""
    failure, _ = core.last_failure("*")
    return failure.exercise if failure is not None else None


def _failure_of(exercise_id):
    """The last CheckFailed of exercise ``exercise_id``, or None."""
    for checker in {name for (name, _), ex in _exercise_index().items() if ex == exercise_id} | {exercise_id}:
        failure, function = core.last_failure(checker)
        if failure is not None and exercise_of(checker, function) in (exercise_id, None):
            return failure
    return None


def more_help(failure):
    """The line a notebook shows under a failed check: how to ask for the next hint ("" for a stub
    not started, and for a question, whose reason for a wrong answer is its hint)."""
    if "not done yet" in failure.problem or not failure.exercise.startswith("check_"):
        return ""
    _, function = core.last_failure(failure.exercise)
    ex = exercise_of(failure.exercise, function)
    call = f'hint("{ex}")' if ex else "hint()"
    return f"Stuck? {call} gives more help, a step at a time (the idea, the equation, then a skeleton)."


def hint(exercise=None):
    """Print the next hint on ``exercise`` ("02.3"; the last failed one if None): the idea, then
    the equation, then a skeleton of the code, one step per call."""
    if exercise is None:
        checker = _last_failed()
        if checker is None:
            print('No check has failed yet. Ask about an exercise by its id: hint("02.3") is notebook 02, '
                  "its third code exercise.")
            return
        _, function = core.last_failure(checker)
        exercise = exercise_of(checker, function) or checker
    exercise = str(exercise).strip()
    failure = _failure_of(exercise)
    level = _ASKED.get(exercise, 0) + 1
    _ASKED[exercise] = min(level, len(LEVELS))
    tiers = TIERS.get(exercise)
    said = f"\nYour last check of it said: Hint: {failure.hint}" if failure is not None and failure.hint else ""
    if tiers is None:
        print(f"{exercise}: no steps of hints are written for this exercise; its checker's own hint is "
              "the help there is." + (said or " Run its checker: a failed check ends with a hint."))
        return
    level = min(level, len(LEVELS))
    text = tiers[level - 1]
    if level == len(LEVELS):
        text = "\n".join("    " + line for line in text.splitlines())
    print(f"{exercise}, hint {level} of {len(LEVELS)} ({LEVELS[level - 1]}):\n{text}" + (said if level == 1 else ""))
    if level < len(LEVELS):
        print(f'(hint("{exercise}") again: {LEVELS[level]})')
    else:
        print("(that is all the help there is: the checker's message says what is still wrong)")
