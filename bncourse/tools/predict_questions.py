"""The predict-first questions: asked just before the cell that shows a key result of notebooks 02 to 05
and 10, so that a learner commits to an answer, runs the next cell and sees whether it holds.

They are conceptual questions like the others (``check_answer("NN.qK", answer)``, the same kinds and the
same sealed bank: :mod:`bncourse.tools.questions` adds them to ``QUESTIONS``); they are kept here only to
keep that module short. Each takes the next free id of its notebook. In the notebook the question's
Markdown cell starts with "**Predict first (NN.qK).**" (``tests/test_checks_questions.py`` holds it).
"""

PREDICT_FIRST = {
    "02.q2": {
        "kind": "choice", "choices": "abcd", "right": "a",
        "reasons": {
            "a": "xmu reaches the loss along two paths, and the multivariable chain rule adds one term per path: "
                 "dxmu = dxhat * istd + dsq * 2 xmu",
            "b": "multiplying is what the chain rule does along one path, node after node; two branches that "
                 "leave the same value add up",
            "c": "node 7's gradient holds istd fixed; the path through sq, var, std and istd is a second, separate "
                 "way for xmu to reach the loss, and leaving it out is the classic bug of a staged backward pass",
            "d": "each branch contributes its whole derivative; a mean would halve both",
        },
    },
    "03.q2": {
        "kind": "count", "right": "8",
        "hint": "beta is added to every one of the 8 rows: how many rows send a gradient back to it, and how "
                "much does each send?",
        "reasons": {
            "8": "beta reaches the loss through all 8 outputs, each contributing dy_i * 1: the gradient of a "
                 "shared parameter is the sum over the batch, sum_i dy_i = 8",
            "1": "1 is one row's contribution (or the mean of the 8); beta is shared by all 8 rows, so their "
                 "contributions add up: sum_i dy_i = 8",
            "0": "0 would be dgamma here (sum_i dy_i xhat_i = sum_i xhat_i = 0); the local derivative of y_i with "
                 "respect to beta is 1 in every row, not xhat_i",
        },
    },
    "04.q2": {
        "kind": "exact", "right": "0",
        "hint": "what do the deviations x_i - mu_B from the batch mean add up to?",
        "reasons": {
            "0": "the deviations from the batch mean sum to zero, sum_i x_i - m mu_B = 0: the variance is "
                 "smallest around its own mean, so its slope there is 0",
            "-8": "-8 is the slope at mu = 0 for the batch 1, 2, 4, 9 below, where mu is not the centre of the "
                  "batch; at the batch mean the deviations sum to 0",
            "-2": "the factor -2/m multiplies sum_i (x_i - mu_B), and that sum is 0 when mu_B is the batch mean",
            "2": "each sample contributes -2 (x_i - mu_B)/m; at the batch mean these contributions cancel "
                 "exactly",
        },
    },
    "04.q3": {
        "kind": "choice", "choices": "abcd", "right": "c",
        "reasons": {
            "a": "the direct term is dxhat_i / sqrt(var + eps): it follows each sample's own upstream gradient",
            "b": "the term through the variance is dL/dvar * 2 (x_i - mu_B)/m: proportional to x_i - mu_B, "
                 "a tilt, not a shift",
            "c": "dL/dmu * dmu/dx_i = dL/dmu / m: neither factor depends on i, so every sample gets the same "
                 "shift",
            "d": "dmu_B/dx_i = 1/m for every sample, and dL/dmu_B is one number per feature: the term through "
                 "the mean is the same for all",
        },
    },
    "05.q2": {
        "kind": "exact", "right": "0",
        "hint": "with two samples and eps = 0, xhat is +1 and -1 whatever the values; put them into the compact "
                "formula",
        "reasons": {
            "0": "two samples normalize to xhat = +1 and -1 whatever their values, so the output cannot change "
                 "and neither can the loss: 2 dy_1 - (dy_1 + dy_2) - (dy_1 - dy_2) = 0",
            "1": "the output of a batch of two does not depend on the values (xhat = +1 and -1), so no change "
                 "of x_1 changes the loss: the gradient is 0",
            "0.5": "1/m is the weight of one sample in the mean; with two samples the three terms of dx cancel "
                   "exactly: 2 dy_1 - (dy_1 + dy_2) - (dy_1 - dy_2) = 0",
        },
    },
    "10.q4": {
        "kind": "count", "right": "2",
        "hint": "P removes the directions in which moving the inputs does not change the output: which ones "
                "are they, and is xhat one of them when eps = 0?",
        "reasons": {
            "2": "with eps = 0, 1/sqrt(m) 1 and 1/sqrt(m) xhat are orthonormal and P removes both: the "
                 "eigenvalue 0 twice, and 1 on the other m - 2 = 3 directions",
            "1": "P 1 = 0, and with eps = 0 P also removes xhat: |xhat|^2 = m, so P xhat = xhat - xhat = 0: two "
                 "zero eigenvalues",
            "3": "3 = m - 2 is the number of eigenvalues equal to 1: the directions P keeps",
            "0": "shifting every x_i by the same amount leaves the output unchanged, so P 1 = 0: at least one "
                 "eigenvalue is zero, and with eps = 0 xhat gives a second",
            "5": "P is not the zero matrix: it keeps every direction orthogonal to 1 and to xhat, three of them",
        },
    },
}
