"""bnlib: the reference library of the course *Batch Normalization, backward, derived and verified*.

Every public function states, in its docstring, the equation it implements in the
course notation (m = N rows, mu, var, istd = 1/sqrt(var + eps), xhat, gamma, beta,
out = y, dout = dL/dy).
"""
from .batchnorm import (
    BatchNormCache,
    batchnorm_backward,
    batchnorm_backward_staged,
    batchnorm_forward,
)
from .gradcheck import numerical_gradient, rel_error
from .jacobian import batchnorm_jacobian, projection_defect, projection_matrix
from .norms import *  # noqa: F401,F403  spatial BatchNorm, LayerNorm, GroupNorm (notebook 07)
from .layers import *  # noqa: F401,F403  BatchNorm1d, fold_batchnorm (notebooks 08-09)
from .mlp import *  # noqa: F401,F403  Linear, ReLU, MLP, softmax_cross_entropy, train_mlp (notebook 09)
from .distributed import *  # noqa: F401,F403  the sharded BatchNorm, SyncBatchNorm (notebook 15)
from .variants import *  # noqa: F401,F403  Ghost BatchNorm, Batch Renormalization, RMSNorm (notebook 15)
from . import norms as _norms, layers as _layers, mlp as _mlp, distributed as _distributed, variants as _variants
from . import tuned  # noqa: F401  bnlib.tuned

__all__ = [
    "BatchNormCache",
    "batchnorm_forward",
    "batchnorm_backward",
    "batchnorm_backward_staged",
    "numerical_gradient",
    "rel_error",
    "batchnorm_jacobian",
    "projection_matrix",
    "projection_defect",
    *_norms.__all__,
    *_layers.__all__,
    *_mlp.__all__,
    *_distributed.__all__,
    *_variants.__all__,
]
