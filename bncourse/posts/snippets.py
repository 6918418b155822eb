"""The code the posts print, run as printed on small inputs and compared with ``bnlib`` (notebook 06).

Each snippet is the post's text, character for character (:data:`SNIPPETS`; a test compares it with
the course's copy of the post when that copy is present). Two of them lost their indentation in our
copy (posts 001 and 004): :func:`restore_indentation` puts it back by the only reading Python allows,
and nothing else is changed. The fragments of post 004 use names of each other (``mu``, ``var``,
``X_norm``), so the backward fragment runs in the namespace the forward fragment leaves.

:func:`as_python2` reads a snippet as Python 2 did, when these posts were written: a ``/`` between
two integer literals is floor division there (``-3/2`` is ``-2``), and the result of a snippet that
contains one depends on the version of Python.
"""
import re

import numpy as np

__all__ = ["SNIPPETS", "restore_indentation", "as_python2", "run_snippet", "version_dependent_divisions"]

SNIPPETS = {
    ("000", "forward"): '''def batchnorm_forward(x, gamma, beta, eps):

    N, D = x.shape
    out, cache = None, None
    xmu = (1./N)*np.sum(x,axis=0)
    xvar = (1./N)*np.sum((x-xmu)**2,axis=0)
    inv_var = 1./np.sqrt(xvar+eps)
    xhat = (x-xmu)*inv_var
    out = gamma*xhat+beta
    cache = (xhat,xmu,inv_var,gamma)
    
    return out,cache''',
    ("000", "backward"): '''def batchnorm_backward(dout, cache):

    #dout is the upstream derivative
    dx, dgamma, dbeta = None, None, None
    xhat,xmu,inv_var,gamma = cache
    (N,D) = dout.shape
    dxhat = dout * gamma
    
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout*xhat, axis=0)
    dx = (1./N)*(inv_var)*((N*dxhat)-(np.sum(dxhat, axis=0))-xhat*(np.sum(dxhat*xhat, axis=0)))
    
    return dx, dgamma, dbeta''',
    ("001", "backward_alt"): '''def batchnorm_backward_alt(dout, cache):
gamma, xhat, istd = cache
N, _ = dout.shape
dbeta = np.sum(dout, axis=0)
dgamma = np.sum(xhat * dout, axis=0)
dx = (gamma*istd/N) * (N*dout - xhat*dgamma - dbeta)
return dx, dgamma, dbeta''',
    ("004", "forward"): '''n_X,c_X,h_X,w_X = X.shape
X_flat = X.reshape(n_X,c_X*h_X*w_X)
mu = np.mean(X_flat,axis=0)
var = np.var(X_flat, axis=0)
X_norm = (X_flat - mu)/np.sqrt(var + 1e-8)
out = gamma * X_norm + beta''',
    ("004", "backward"): '''n_X,c_X,h_X,w_X = X.shape
# flatten the inputs and dout
X_flat = X.reshape(n_X,c_X*h_X*w_X)
dout = dout.reshape(n_X,c_X*h_X*w_X)
X_mu = X_flat - mu
var_inv = 1./np.sqrt(var + 1e-8)
dX_norm = dout * gamma
dvar = np.sum(dX_norm * X_mu,axis=0) * -0.5 * (var + 1e-8)**(-3/2)
dmu = np.sum(dX_norm * -var_inv ,axis=0) + dvar * 1/n_X * np.sum(-2.* X_mu, axis=0)
dX = (dX_norm * var_inv) + (dmu / n_X) + (dvar * 2/n_X * X_mu)
dbeta = np.sum(dout,axis=0)
dgamma = dout * X_norm''',
    ("004", "class"): '''class Batchnorm():
def __init__(self,X_dim):
self.d_X, self.h_X, self.w_X = X_dim
self.gamma = np.ones((1, int(np.prod(X_dim)) ))
self.beta = np.zeros((1, int(np.prod(X_dim))))
self.params = [self.gamma,self.beta]
def forward(self,X):
self.n_X = X.shape[0]
self.X_shape = X.shape
self.X_flat = X.ravel().reshape(self.n_X,-1)
self.mu = np.mean(self.X_flat,axis=0)
self.var = np.var(self.X_flat, axis=0)
self.X_norm = (self.X_flat - self.mu)/np.sqrt(self.var + 1e-8)
out = self.gamma * self.X_norm + self.beta
return out.reshape(self.X_shape)
def backward(self,dout):
dout = dout.ravel().reshape(dout.shape[0],-1)
X_mu = self.X_flat - self.mu
var_inv = 1./np.sqrt(self.var + 1e-8)
dbeta = np.sum(dout,axis=0)
dgamma = dout * self.X_norm
dX_norm = dout * self.gamma
dvar = np.sum(dX_norm * X_mu,axis=0) * -0.5 * (self.var + 1e-8)**(-3/2)
dmu = np.sum(dX_norm * -var_inv ,axis=0) + dvar * 1/self.n_X * np.sum(-2.* X_mu, axis=0)
dX = (dX_norm * var_inv) + (dmu / self.n_X) + (dvar * 2/self.n_X * X_mu)
dX = dX.reshape(self.X_shape)
return dX, [dgamma, dbeta]''',
}

_INTEGER_DIVISION = re.compile(r"(?<![\w.])(-?\d+)\s*/\s*(\d+)(?![\w.])")


def restore_indentation(text):
    """The indentation Python needs, for a snippet that lost it: the body of a ``class`` one level
    in, the body of a ``def`` one level deeper than the ``def``. Text already indented, or with no
    ``def`` and no ``class`` (a fragment), is returned as it is."""
    lines = text.splitlines()
    if any(line.startswith((" ", "\t")) for line in lines) or not any(
            line.startswith(("def ", "class ")) for line in lines):
        return text
    out, in_class = [], False
    for line in lines:
        if line.startswith("class "):
            depth, in_class = 0, True
        elif line.startswith("def "):
            depth = 1 if in_class else 0
        else:
            depth = 2 if in_class else 1
        out.append("    " * depth + line)
    return "\n".join(out)


def version_dependent_divisions(text):
    """The divisions ``a/b`` of two integer literals in ``text``: Python 3 gives a/b, Python 2 floor(a/b)."""
    return [m.group(0) for m in _INTEGER_DIVISION.finditer(text)
            if int(m.group(1)) % int(m.group(2)) != 0]


def as_python2(text):
    """``text`` with every ``/`` between two integer literals written ``//``: what Python 2 computed."""
    return _INTEGER_DIVISION.sub(lambda m: f"{m.group(1)}//{m.group(2)}", text)


def run_snippet(post, name, python2=False, **names):
    """Run a snippet as printed (indentation restored where lost) with NumPy as ``np`` and the given
    names defined; return the namespace it leaves (its functions, classes and variables)."""
    text = restore_indentation(SNIPPETS[post, name])
    if python2:
        text = as_python2(text)
    namespace = {"np": np, **names}
    exec(compile(text, f"<post {post}, {name}>", "exec"), namespace)
    return namespace
