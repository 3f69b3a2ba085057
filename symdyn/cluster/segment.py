"""Image segmentation with Quickshift++, as in the paper (colour + scaled position).

scikit-image is optional (``pip install symdyn[images]``); it is needed only for
the shipped sample images and the Lab colour space.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_int, check_real
from ._quickshiftpp import QuickshiftPP

__all__ = ["image_features", "segment_image", "segment_sample_image", "save_segmentation"]


def _require_skimage():
    try:
        import skimage  # noqa: F401
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("this needs scikit-image: pip install 'symdyn[images]'") from None


def image_features(image, *, position_weight: float = 0.5) -> np.ndarray:
    """Per-pixel features: colour in [0, 1] and (row, column) / longer side * ``position_weight``.

    Parameters
    ----------
    image : array-like of shape (H, W, 3) or (H, W)
        RGB (uint8 or float in [0, 1]) or grey-scale image.
    position_weight : float >= 0
        Weight of the pixel coordinates relative to colour (0: colour only).

    Returns
    -------
    ndarray of shape (H * W, C + 2)

    Examples
    --------
    >>> image_features(np.zeros((2, 3, 3), dtype=np.uint8)).shape
    (6, 5)
    """
    img = np.asarray(image)
    if img.ndim == 2:
        img = img[:, :, None]
    if img.ndim != 3 or img.shape[2] not in (1, 3, 4) or min(img.shape[:2]) < 1:
        raise ValueError(f"image must have shape (H, W), (H, W, 3) or (H, W, 4), got {np.shape(image)}")
    if img.shape[2] == 4:
        img = img[:, :, :3]
    if not np.issubdtype(img.dtype, np.number):
        raise TypeError(f"image must be numeric, got dtype {img.dtype}")
    colour = img.astype(np.float64)
    if np.issubdtype(img.dtype, np.integer):
        colour /= 255.0
    if not np.all(np.isfinite(colour)):
        raise ValueError("image contains NaN or infinite values")
    w = float(check_real("position_weight", position_weight, low=0))
    H, W = img.shape[:2]
    rows, cols = np.mgrid[0:H, 0:W].astype(np.float64)
    scale = w / max(H, W)
    return np.column_stack([colour.reshape(H * W, -1), rows.ravel() * scale, cols.ravel() * scale])


def segment_image(image, *, k: int = 60, beta: float = 0.7, position_weight: float = 0.5):
    """Segment an image: Quickshift++ on (colour, scaled position) per pixel.

    Parameters
    ----------
    image : array-like (H, W, 3) or (H, W)
    k, beta : Quickshift++ parameters (the paper uses k 50-470, beta 0.3-0.9 on
        50 000-pixel images).
    position_weight : float
        See :func:`image_features`.

    Returns
    -------
    labels : ndarray of shape (H, W), int64
    estimator : QuickshiftPP
        The fitted estimator.

    Examples
    --------
    >>> img = np.zeros((20, 20, 3)); img[:, 10:] = 1.0
    >>> labels, est = segment_image(img + np.random.default_rng(0).normal(0, 0.05, img.shape), k=30)
    >>> est.n_clusters_, bool(labels[0, 0] != labels[0, -1])
    (2, True)
    """
    k = check_int("k", k, low=1)
    X = image_features(image, position_weight=position_weight)
    est = QuickshiftPP(k=k, beta=beta).fit(X)
    H, W = np.asarray(image).shape[:2]
    return est.labels_.reshape(H, W), est


def mean_colour_image(image, labels) -> np.ndarray:
    """Each segment painted with its mean colour (float image in [0, 1])."""
    img = np.asarray(image)
    colour = img.astype(np.float64) / (255.0 if np.issubdtype(img.dtype, np.integer) else 1.0)
    if colour.ndim == 2:
        colour = colour[:, :, None]
    flat = colour.reshape(-1, colour.shape[2])
    lab = labels.ravel()
    sums = np.zeros((lab.max() + 1, flat.shape[1]))
    np.add.at(sums, lab, flat)
    means = sums / np.bincount(lab)[:, None]
    return np.clip(means[lab].reshape(colour.shape), 0, 1).squeeze()


def save_segmentation(image, labels, path, *, title: str = "") -> None:
    """Save original | segment boundaries | mean-colour segments side by side (atomic PNG)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from .._io import savefig_atomic

    edges = np.zeros(labels.shape, dtype=bool)
    edges[:-1, :] |= labels[:-1, :] != labels[1:, :]
    edges[:, :-1] |= labels[:, :-1] != labels[:, 1:]
    fig, axes = plt.subplots(1, 3, figsize=(12, 4.4))
    img = np.asarray(image)
    axes[0].imshow(img)
    axes[0].set_title("image")
    over = (img.astype(float) / (255.0 if np.issubdtype(img.dtype, np.integer) else 1.0)).copy()
    if over.ndim == 2:
        over = np.stack([over] * 3, axis=-1)
    over[edges] = [1.0, 0.1, 0.1]
    axes[1].imshow(np.clip(over, 0, 1))
    axes[1].set_title(f"{labels.max() + 1} segments")
    axes[2].imshow(mean_colour_image(image, labels))
    axes[2].set_title("segment mean colour")
    for ax in axes:
        ax.set_axis_off()
    if title:
        fig.suptitle(title)
    try:
        savefig_atomic(fig, path, dpi=100, bbox_inches="tight")
    finally:
        plt.close(fig)


def segment_sample_image(name: str = "astronaut", path=None, *, max_side: int = 128, k: int = 80,
                         beta: float = 0.7, position_weight: float = 0.5):
    """Segment one of scikit-image's shipped sample images (downsampled by striding).

    Parameters
    ----------
    name : str
        A colour image in :mod:`skimage.data` (``astronaut``, ``coffee``, ``chelsea``, ...).
    path : path-like, optional
        Where to save the figure (PNG, written atomically).
    max_side : int
        The image is strided so that its longer side is at most this.
    k, beta, position_weight : see :func:`segment_image`.

    Returns
    -------
    image, labels, estimator
    """
    _require_skimage()
    from skimage import data

    allowed = ("astronaut", "coffee", "chelsea", "rocket", "immunohistochemistry", "hubble_deep_field")
    if name not in allowed:
        raise ValueError(f"name must be one of {allowed}, got {name!r}")
    max_side = check_int("max_side", max_side, low=8)
    image = getattr(data, name)()
    step = int(np.ceil(max(image.shape[:2]) / max_side))
    image = np.ascontiguousarray(image[::step, ::step])
    labels, est = segment_image(image, k=k, beta=beta, position_weight=position_weight)
    if path is not None:
        save_segmentation(image, labels, path,
                          title=f"Quickshift++ on skimage.data.{name} ({image.shape[0]}x{image.shape[1]}), "
                                f"k={k}, beta={beta}")
    return image, labels, est
