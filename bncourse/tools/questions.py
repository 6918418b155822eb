"""The conceptual questions of the course in plain text, and the writer of their sealed bank.

    python -m bncourse.tools.questions --write    # writes bncourse/checks/question_bank.py from QUESTIONS
    python -m bncourse.tools.questions --check    # exit 1 if the bank is out of date

Each question is asked in its notebook (a Markdown cell with the question and its choices, then
``answer = ...`` and ``check_answer("NN.qK", answer)``). Here are, per question, its kind ("choice":
a letter; "count": a whole number, exactly; "exact": a number, exactly; "number": a measured number,
rounded to ``decimals``, which the question must state), the right answer and one reason for every
choice (for a number: for the right value and for the wrong values worth a reason; any other value
gets ``hint``).
`bncourse.checks.questions` stores them sealed (see its docstring), so that the learner's library does
not show them in plain text.
"""
import argparse
import hashlib
import sys
from pathlib import Path

from bncourse import ROOT
from bncourse.checks.questions import answer_digest, normalized_answer, seal
from bncourse.tools.predict_questions import PREDICT_FIRST

BANK_PATH = ROOT / "bncourse" / "checks" / "question_bank.py"

QUESTIONS = {
    "00.q1": {
        "kind": "count", "right": "10",
        "hint": "count the columns: BatchNorm averages over the batch axis (axis 0), once per feature",
        "reasons": {
            "10": "one mean per feature (column of x), each the average of the 32 samples of that feature",
            "32": "that is one per sample (row): a mean per sample is LayerNorm's statistic (notebook 07); "
                  "BatchNorm averages each feature over the batch",
            "1": "one mean of all 320 numbers would mix features of different scales; BatchNorm keeps "
                 "one per feature",
            "320": "that is the number of entries of x; each mean averages m = 32 of them",
        },
    },
    "01.q1": {
        "kind": "choice", "choices": "abcd", "right": "a",
        "reasons": {
            "a": "x_i - mu_B = 0 exactly and the denominator is sqrt(0 + eps) > 0, so xhat_i = 0 and "
                 "y_i = beta; without eps it would be 0/0",
            "b": "normalizing does not turn a value into 1: x_i - mu_B is 0 for every sample, and 0 "
                 "divided by sqrt(eps) is 0",
            "c": "that is what happens without eps, 0/sqrt(0) = 0/0; eps keeps the denominator at "
                 "sqrt(eps) > 0",
            "d": "the mean is subtracted first: x_i - mu_B = 5 - 5 = 0, so the numerator is 0, not 5",
        },
    },
    "02.q1": {
        "kind": "count", "right": "2",
        "hint": "count the nodes that take xmu as an input: each one sends a gradient back into xmu",
        "reasons": {
            "2": "xmu feeds two nodes, sq (on the way to the variance) and xhat; the gradients of the "
                 "two branches add up",
            "1": "xmu is used twice, by sq (the variance) and by xhat; dropping one branch is the "
                 "classic bug of a staged backward pass",
            "3": "only nodes that take xmu as input count, sq and xhat; mu comes before xmu, so its "
                 "gradient is computed from dxmu, it does not flow into it",
        },
    },
    "03.q1": {
        "kind": "choice", "choices": "abcd", "right": "b",
        "reasons": {
            "a": "m c is dbeta = sum_i dy_i; dgamma weights each dy_i by xhat_i",
            "b": "dgamma = sum_i dy_i xhat_i = c sum_i xhat_i = 0, because the normalized values of a "
                 "batch sum to zero",
            "c": "dgamma is a sum over the whole batch, not one sample's value, and its weights xhat_i "
                 "sum to zero",
            "d": "dgamma weights dy_i by xhat_i, not by x_i: y = gamma xhat + beta",
        },
    },
    "04.q1": {
        "kind": "choice", "choices": "abcd", "right": "a",
        "reasons": {
            "a": "mu_B is the batch mean, so the deviations from it sum to exactly zero, whatever "
                 "dL/dvar is",
            "b": "eps does not appear in sum_i (x_i - mu_B); the term is exactly zero for every eps",
            "c": "dL/dvar is not zero in general (it is -1/2 (var + eps)^(-3/2) sum_i dxhat_i "
                 "(x_i - mu_B)); the factor that vanishes is the other one",
            "d": "the term vanishes for every gamma; gamma only scales dxhat",
        },
    },
    "05.q1": {
        "kind": "choice", "choices": "abcd", "right": "a",
        "reasons": {
            "a": "m c - sum_j dy_j = 0 and sum_j dy_j xhat_j = c sum_j xhat_j = 0: adding the same "
                 "amount to every output is what beta does, and no change of x can do it",
            "b": "that is the eval-mode gradient, with the statistics held fixed; in training mode the "
                 "path through mu_B subtracts exactly this amount",
            "c": "BatchNorm is not the identity: the compact formula with dy_j = c gives "
                 "gamma/(m s) (m c - m c - xhat_i 0) = 0",
            "d": "x_i enters only through xhat_i, and xhat_i is multiplied by sum_j dy_j xhat_j = "
                 "c sum_j xhat_j = 0",
        },
    },
    "06.q1": {
        "kind": "choice", "choices": "abcd", "right": "a",
        "reasons": {
            "a": "the term it drops is dL/dvar times -(2/m^2) sum_j (x_j - mu_B), and that sum is 0: "
                 "a gap in the derivation, not in the result",
            "b": "(m-1)/m is the signature of the unbiased variance, a different slip; the dropped "
                 "chain-rule term sums the deviations from the mean",
            "c": "the sum_j dy_j term comes from mu_B's path into xhat, which this derivation keeps; "
                 "the term it drops is multiplied by sum_j (x_j - mu_B)",
            "d": "eps plays no part: the dropped term is zero for every eps",
        },
    },
    "07.q1": {
        "kind": "count", "right": "128",
        "hint": "spatial BatchNorm keeps one mean per channel; each averages over the batch and "
                "over every position of that channel",
        "reasons": {
            "128": "one mean per channel, over the batch and every position: m = N H W = 8 * 4 * 4",
            "8": "that is the batch alone; in spatial BatchNorm every position of a channel shares the "
                 "channel's mean",
            "256": "C H W = 256 is LayerNorm's m: one mean per sample over every channel and position",
            "2048": "that is every entry of x; spatial BatchNorm keeps one mean per channel",
            "16": "16 is the number of channels, so the number of means, not the size of each",
        },
    },
    "08.q1": {
        "kind": "choice", "choices": "abcd", "right": "a",
        "reasons": {
            "a": "PyTorch averages the unbiased batch variance, whose expected value is sigma^2; the "
                 "start value fades as 0.9^t",
            "b": "(N-1)/N sigma^2 is the expected biased batch variance, the one training mode "
                 "normalizes with; the running average takes the unbiased one, N/(N-1) times larger",
            "c": "the start value fades as 0.9^t: after 50 batches its weight is below 0.01",
            "d": "running_var averages batch variances, which are positive",
        },
    },
    "09.q1": {
        "kind": "exact", "right": "0.1",
        "hint": "the loss does not change when W becomes cW; differentiate L(cW) = L(W) with respect to W",
        "reasons": {
            "0.1": "BN(x cW) = BN(x W), so L(cW) = L(W), and the chain rule gives "
                   "dL/dW at cW = (1/c) dL/dW at W",
            "10": "that would hold if the output grew with W; here it does not change at all, and "
                  "the gradient shrinks by 1/c",
            "1": "the loss is the same, but the gradient is taken where W is c times larger, so a "
                 "given step changes W relatively c times less: the gradient scales by 1/c",
            "0.01": "1/c^2 is how the curvature (the second derivative) scales, not the gradient",
        },
    },
    "10.q1": {
        "kind": "exact", "right": "0",
        "hint": "b adds the same amount to every sample of a feature: what does BatchNorm subtract "
                "first, and what is sum_i dz_i?",
        "reasons": {
            "0": "dL/db = sum_i dz_i, and the input gradient of BatchNorm sums to zero over the "
                 "batch: b is subtracted again with the mean, it cannot change the loss",
            "1": "dL/db = sum_i dz_i, a sum of gradients, and BatchNorm's input gradients sum to zero",
        },
    },
    "10.q2": {
        "kind": "choice", "choices": "abcd", "right": "b",
        "reasons": {
            "a": "that holds only for eps = 0: with eps > 0, |xhat|^2 = m var/(var + eps) < m, and P "
                 "keeps the fraction eps/(var + eps) of xhat",
            "b": "dx = (gamma/s) P dy with P symmetric and P xhat = eps/(var + eps) xhat, so "
                 "xhat . dx = (gamma/s) eps/(var + eps) xhat . dy",
            "c": "that is the eval-mode value (statistics held fixed); in training mode the path "
                 "through the variance removes all but the fraction eps/(var + eps) of it",
            "d": "that mixes up the two sums: sum_i dx_i = 0 exactly, and sum_i dx_i xhat_i "
                 "involves sum_i dy_i xhat_i, not sum_i dy_i",
        },
    },
    "10.q3": {
        "kind": "exact", "right": "0.25",
        "hint": "P xhat = xhat - xhat |xhat|^2 / m, and |xhat|^2 = m var/(var + eps)",
        "reasons": {
            "0.25": "delta = eps/(var + eps) = 1/(3 + 1): P xhat = (1 - var/(var + eps)) xhat",
            "0": "0 is the eigenvalue for eps = 0 only; here eps = 1 is large against var = 3",
            "0.75": "var/(var + eps) = 0.75 is the fraction of m in |xhat|^2, which P removes; "
                    "what is kept is the rest",
            "1": "P removes most of xhat; it keeps eps/(var + eps) of it",
        },
    },
    "11.q1": {
        "kind": "choice", "choices": "abcd", "right": "a",
        "reasons": {
            "a": "x_1 - mu_B = (x_1 - x_2)/2 and sigma_B = |x_1 - x_2|/2, so xhat = +-1: the layer "
                 "passes on only which of the two samples is larger",
            "b": "two samples have one deviation size, |x_1 - x_2|/2, and that is exactly sigma_B",
            "c": "xhat is 0 only when the two samples are equal",
            "d": "the biased variance divides by m = 2, so sigma_B = |x_1 - x_2|/2, the size of each "
                 "deviation, and xhat = +-1",
        },
    },
    "11.q2": {
        "kind": "choice", "choices": "abcd", "right": "b",
        "reasons": {
            "a": "BatchNorm in training mode uses the batch's mean and variance: the other samples "
                 "change each output, and eval mode uses running averages instead",
            "b": "LayerNorm and GroupNorm take their statistics from one sample's own features, so "
                 "the batch does not matter and training and eval mode are the same computation",
            "c": "BatchNorm's training-mode output depends on the other samples of the batch",
            "d": "LayerNorm and GroupNorm never look across the batch",
        },
    },
    "12.q1": {
        "kind": "choice", "choices": "abcd", "right": "a",
        "reasons": {
            "a": "of the m terms only i = k is not zero, and it is 1: the sum picks x_k's own term, "
                 "which is the rule that lets a derivative pass through a sum",
            "b": "m is the sum of m ones; the Kronecker delta is 1 only for i = k and 0 for the other "
                 "m - 1 terms",
            "c": "the sum is 0 only when k lies outside 1..m; here k is one of the indices summed over",
            "d": "1/m is the weight of one sample in the mean, not the value of the delta's sum",
        },
    },
    "16.q1": {
        "kind": "exact", "right": "4.09",
        "hint": "before a BatchNorm layer the gradient is orthogonal to the weights: w . g = 0; what is "
                "the squared length of w - lr g then?",
        "reasons": {
            "4.09": "g is orthogonal to w, so by Pythagoras ||w - lr g||^2 = ||w||^2 + lr^2 ||g||^2 "
                    "= 4 + 0.01 * 9: the step can only lengthen w",
            "4": "the step is orthogonal to w, so it cannot shorten w; but a step of non-zero length at a "
                    "right angle to w does lengthen it",
            "3.91": "subtracting would need the step to point back along w; it is orthogonal to w, so the "
                    "squares add (Pythagoras)",
            "4.9": "the step is lr g: in its squared length, lr is squared too",
            "5.29": "(||w|| + lr ||g||)^2 adds the lengths as if the step were along w; orthogonal vectors "
                    "add their squares",
        },
    },
    "13.q1": {
        "kind": "choice", "choices": "abcd", "right": "b",
        "reasons": {
            "a": "that is training mode, which normalizes with the batch's own mean and variance; eval "
                 "mode uses the running statistics, fixed numbers, so each image is on its own",
            "b": "in eval mode BatchNorm is y = s z + c per feature with fixed s and c, so it folds into W1 "
                 "(notebook 08) and each image's logits depend on that image alone",
            "c": "a batch of one has no variance in training mode; eval mode uses the running variance, so "
                 "a single image is fine",
            "d": "eval mode never looks at the statistics of the batch it is given: it uses running_mean and "
                 "running_var, averaged during training",
        },
    },
    "13.q2": {
        "kind": "count", "right": "32",
        "hint": "follow the factor from dlogits down: is each step of the backward pass linear in the "
                "gradient it receives?",
        "reasons": {
            "32": "without the mean's 1/N, dlogits is N = 32 times larger, and every step after it (the Linear "
                  "layers, tanh, BatchNorm's dx) is linear in the gradient it receives, so dW1 is 32 times "
                  "larger too",
            "1": "BatchNorm normalizes the activations in the forward pass, not the gradients: its backward "
                 "pass is linear in dout, so the factor 32 passes through it to dW1",
            "0": "0.03 is 1/N; the mean divides the gradient by N, so the sum makes it N times larger, "
                 "not smaller",
        },
    },
    "14.q1": {
        "kind": "choice", "choices": "abcd", "right": "a",
        "reasons": {
            "a": "in training mode every output uses the batch's mean and variance, and every training-mode "
                 "forward pass also moves running_mean and running_var towards the batch's statistics: the "
                 "evaluation changed the model it measured",
            "b": "the running statistics are updated by the forward pass itself in training mode; no backward "
                 "pass or optimizer step is needed for that",
            "c": "BatchNorm uses the running statistics only in eval mode; in training mode it uses the "
                 "batch's own, whatever the batch size",
            "d": "only an optimizer step changes the weights; what changes here are the running statistics "
                 "(and the outputs, which depend on the other images)",
        },
    },
    "14.q2": {
        "kind": "choice", "choices": "abcd", "right": "b",
        "reasons": {
            "a": "freezing the parameters stops gamma and beta only; the mode decides which statistics are used "
                 "and whether running_mean and running_var move",
            "b": "gamma and beta stay, but in training mode each batch is normalized with its own statistics and "
                 "every forward pass moves the running statistics towards the new data",
            "c": "gamma and beta are exactly what requires_grad=False freezes",
            "d": "in training mode the running statistics are updated on every forward pass; to keep them, "
                 "call eval() on the layer",
        },
    },
    "14.q3": {
        "kind": "choice", "choices": "abcd", "right": "d",
        "reasons": {
            "a": "the interval of the difference contains 0 at both learning rates: the measurements do not "
                 "show BatchNorm before the activation to be better",
            "b": "the mean difference even leans the other way at the larger learning rate, and both "
                 "intervals contain 0",
            "c": "an interval that contains 0 does not show that there is no difference: it also contains "
                 "differences of about one point; it says only that these runs cannot tell the orders apart",
            "d": "both 95 % intervals of the paired difference contain 0: on this network and data, ten "
                 "seeds do not tell the two orders apart (and say nothing about other networks)",
        },
    },
    "14.q4": {
        "kind": "choice", "choices": "abcd", "right": "a",
        "reasons": {
            "a": "with one sample mu_B = x, sigma_B^2 = 0, so xhat = 0 / sqrt(eps) = 0 and y = beta; the "
                 "compact formula gives dx = gamma istd (dy - dy - 0) = 0: the layer passes nothing on",
            "b": "x - mu_B = 0 for the only sample, so nothing of x survives the normalization",
            "c": "xhat is 0, not x: the sample is its own mean",
            "d": "eps keeps the denominator at sqrt(eps) > 0, so the output is 0 / sqrt(eps) = 0, not NaN",
        },
    },
    "15.q1": {
        "kind": "count", "right": "2",
        "hint": "look at the compact formula: which sums over the batch does dx need, per feature?",
        "reasons": {
            "2": "sum dy and sum dy * xhat: the two sums of the compact formula, which are also dbeta and dgamma",
            "1": "the compact formula has two sums over the batch, sum dy and sum dy * xhat",
            "3": "the backward pass needs two sums; the forward pass needs m, sum x and sum (x - mu)^2",
            "4": "that is the forward and backward together (sum x, sum (x - mu)^2, sum dy, sum dy * xhat); "
                 "the backward pass alone needs two",
        },
    },
    "15.q2": {
        "kind": "count", "right": "8",
        "hint": "each virtual batch has its own mean: how many virtual batches of 32 rows are there?",
        "reasons": {
            "8": "256 / 32 = 8 virtual batches, each with its own mean and variance per feature",
            "1": "one mean per feature is BatchNorm over the whole batch; Ghost BatchNorm cuts it into virtual batches",
            "32": "32 is the number of rows behind each mean, not the number of means",
            "256": "one mean per sample would normalize every value to 0",
        },
    },
    "15.q3": {
        "kind": "choice", "choices": "abcd", "right": "a",
        "reasons": {
            "a": "with r and d constants, xhat_i r + d is BatchNorm's xhat scaled and shifted: the three paths "
                 "of notebook 04 stay, each multiplied by r, and d drops out",
            "b": "r multiplies the normalized value, so it multiplies every path of the gradient; only r = 1 "
                 "gives BatchNorm's dx",
            "c": "gamma dy_i / sigma would be the gradient if r and d followed mu_B and sigma_B; held constant, "
                 "they leave the paths through mu_B and sigma_B in place",
            "d": "d is a constant added to every xhat_i: its derivative with respect to x_i is 0",
        },
    },
}
QUESTIONS.update(PREDICT_FIRST)   # the predict-first questions of notebooks 02-05 and 10


def salt_of(qid):
    """A salt per question, fixed so that the bank is reproducible."""
    return hashlib.sha256(f"bn-course|{qid}".encode()).hexdigest()[:16]


def sealed_bank(questions=QUESTIONS):
    """The bank as bnlib stores it: per question its kind, salt, hint and sealed answers."""
    bank = {}
    for qid, q in questions.items():
        salt = salt_of(qid)
        entry = {"kind": q["kind"], "salt": salt}
        if q["kind"] == "choice":
            entry["choices"] = q["choices"]
            entry["hint"] = ""
        else:
            assert q["kind"] in ("count", "exact", "number"), f"{qid}: no kind {q['kind']!r}"
            if q["kind"] == "number":          # a measured number: its tolerance, stated in the question
                entry["decimals"] = q["decimals"]
            entry["hint"] = q["hint"]
        answers = {}
        for answer, reason in q["reasons"].items():
            key = normalized_answer(entry, answer)
            assert key == answer, f"{qid}: the answer {answer!r} is stored as {key!r}"
            answers[answer_digest(salt, qid, key)] = seal(salt, qid, key, answer == q["right"], reason)
        assert q["right"] in q["reasons"], f"{qid}: the right answer has no reason"
        entry["answers"] = answers
        bank[qid] = entry
    return bank


def bank_source(questions=QUESTIONS):
    lines = ['"""The sealed answers of the conceptual questions: written by `python -m bncourse.tools.questions '
             '--write`, do not edit."""', "", "BANK = {"]
    for qid, entry in sealed_bank(questions).items():
        lines.append(f"    {qid!r}: {{")
        for key in ("kind", "salt", "choices", "decimals", "hint"):
            if key in entry:
                lines.append(f"        {key!r}: {entry[key]!r},")
        lines.append("        'answers': {")
        for digest, sealed in entry["answers"].items():   # one line each: the bank stays under 450 lines
            lines.append(f"            {digest!r}: {sealed!r},")
        lines.append("        },")
        lines.append("    },")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write bncourse/checks/question_bank.py")
    parser.add_argument("--check", action="store_true", help="exit 1 if the bank is out of date")
    args = parser.parse_args(argv)
    source = bank_source()
    if args.write:
        BANK_PATH.write_text(source)
        print(f"wrote {BANK_PATH.relative_to(ROOT)}: {len(QUESTIONS)} questions")
        return 0
    if not BANK_PATH.exists() or BANK_PATH.read_text() != source:
        print("bncourse/checks/question_bank.py is out of date: python -m bncourse.tools.questions --write")
        return 1
    print(f"{len(QUESTIONS)} questions, bank up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
