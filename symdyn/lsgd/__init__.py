"""Laplacian smoothing gradient descent: exact matrices, attraction-region proofs, FFT optimizers.

Public API
----------
Matrices (exact ``fmpq_mat`` or NumPy): :func:`laplacian`, :func:`smoothing_matrix`,
:func:`iteration_matrix`, :func:`apply_smoothing_inverse`, :func:`symmetric_basis`,
:func:`antisymmetric_basis`, :func:`canonical_b`.

Attraction regions: :func:`eigenvalue_counts` (exact inertia route),
:func:`eigenvalue_counts_charpoly`, :func:`schedule_counts`, :func:`stable_subspace`,
:func:`attraction_dimension`; the sigma-robust region :func:`robust_dimension`
(:func:`robust_lower_bound`, :func:`structural_upper_bound`, :func:`certified_upper_bound`);
exact per-profile bounds for any diagonal ``B`` (:func:`taylor_bounds`) and the proof for every
``n`` as structured data (:func:`whole_class_theorem`, imported lazily: it needs SymPy).

Full symmetric ``B`` (not only diagonal) with exactly one negative eigenvalue, ``n <= MAX_FULL_N``,
order ``p <= MAX_ORDER``: :func:`as_exact_matrix` (matrix input as ``fmpq_mat``, ``None`` for a
diagonal), :func:`check_symmetric_saddle` (exact class check), :func:`negative_closure` (the
``B``, ``(-L)^p``-invariant closure ``W`` of the negative eigenspace), :func:`symmetric_lower_bound`
(exact: ``dim E_rob >= n - dim W``), :func:`symmetric_certified_upper_bound` (arb) and
:func:`symmetric_robust_dimension` (both; :func:`robust_dimension` dispatches to it for a matrix).

Rates: :func:`compare_rates`. Optimizers: :func:`lsgd`. Experiments:
:func:`escape_experiment`, :func:`estimate_attractors`. Document: :func:`lsgd_document`.
"""

from .attraction import (UnitCounts, as_map_system, attraction_dimension, eigenvalue_counts, eigenvalue_counts_charpoly,
                         schedule_counts, schedule_matrix, stable_subspace)
from .fullsym import (MAX_FULL_N, MAX_ORDER, as_exact_matrix, check_symmetric_saddle, negative_closure,
                      symmetric_certified_upper_bound, symmetric_lower_bound, symmetric_robust_dimension)
from .escape import (double_well_problem, escape_experiment, estimate_attractors, quadratic_problem,
                     sample_starts)
from .matrices import (antisymmetric_basis, apply_smoothing_inverse, canonical_b, iteration_matrix, laplacian,
                       reflection, smoothing_eigenvalues, smoothing_matrix, symmetric_basis)
from .optimizers import LSGDResult, lsgd, sigma_schedule
from .rate import RateComparison, compare_rates, laplacian_hessian
from .taylor import TaylorBounds, taylor_bounds
from .robust import (RobustResult, certified_stable_normal, certified_upper_bound, is_reflection_symmetric, robust_dimension,
                     robust_lower_bound, saddle_facts, structural_upper_bound)

__all__ = [
    "UnitCounts", "attraction_dimension", "eigenvalue_counts", "eigenvalue_counts_charpoly", "schedule_counts",
    "schedule_matrix", "stable_subspace", "double_well_problem", "escape_experiment", "estimate_attractors",
    "quadratic_problem", "sample_starts", "antisymmetric_basis", "apply_smoothing_inverse", "canonical_b",
    "iteration_matrix", "laplacian", "reflection", "smoothing_eigenvalues", "smoothing_matrix",
    "symmetric_basis", "LSGDResult", "lsgd", "sigma_schedule", "RateComparison", "compare_rates",
    "laplacian_hessian", "RobustResult", "certified_upper_bound", "is_reflection_symmetric",
    "robust_dimension", "robust_lower_bound", "saddle_facts", "structural_upper_bound", "lsgd_document",
    "as_map_system", "certified_stable_normal", "TaylorBounds", "taylor_bounds", "whole_class_theorem",
    "MAX_FULL_N", "MAX_ORDER", "as_exact_matrix", "check_symmetric_saddle", "negative_closure",
    "symmetric_lower_bound", "symmetric_certified_upper_bound", "symmetric_robust_dimension",
]


def __getattr__(name):
    if name == "lsgd_document":  # imports sympy/latex helpers lazily
        from .report import lsgd_document

        return lsgd_document
    if name == "whole_class_theorem":  # imports sympy lazily
        from .wholeclass import whole_class_theorem

        return whole_class_theorem
    raise AttributeError(f"module 'symdyn.lsgd' has no attribute {name!r}")
