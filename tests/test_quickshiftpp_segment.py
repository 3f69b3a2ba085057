"""Image segmentation helper."""

import numpy as np
import pytest

from symdyn.cluster.segment import image_features, mean_colour_image, save_segmentation, segment_image


def test_two_colour_image_gives_two_segments(tmp_path):
    rng = np.random.default_rng(0)
    img = np.zeros((24, 24, 3))
    img[:, 12:] = [0.9, 0.2, 0.1]
    img = np.clip(img + rng.normal(0, 0.03, img.shape), 0, 1)
    labels, est = segment_image(img, k=30, beta=0.7)
    assert labels.shape == (24, 24) and est.n_clusters_ == 2
    assert len(np.unique(labels[:, :12])) == 1 and len(np.unique(labels[:, 12:])) == 1
    painted = mean_colour_image(img, labels)
    np.testing.assert_allclose(painted[0, -1], img[:, 12:].reshape(-1, 3).mean(0), atol=1e-12)
    out = tmp_path / "seg.png"
    save_segmentation(img, labels, out)
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_features_and_validation():
    F = image_features(np.full((3, 4, 3), 255, dtype=np.uint8), position_weight=1.0)
    assert F.shape == (12, 5) and F[:, :3].max() == 1.0 and F[:, 3:].max() == pytest.approx(0.75)
    assert image_features(np.zeros((3, 4))).shape == (12, 3)
    with pytest.raises(ValueError, match="image must have shape"):
        image_features(np.zeros((3, 4, 2)))
    with pytest.raises(ValueError, match="position_weight"):
        image_features(np.zeros((3, 4)), position_weight=-1)
    with pytest.raises(ValueError, match="NaN"):
        image_features(np.full((2, 2), np.nan))
    with pytest.raises(TypeError, match="numeric"):
        image_features(np.array([["a", "b"]]))


def test_sample_image(tmp_path):
    pytest.importorskip("skimage")
    from symdyn.cluster.segment import segment_sample_image

    out = tmp_path / "astronaut.png"
    image, labels, est = segment_sample_image("astronaut", out, max_side=40, k=30, beta=0.7)
    assert image.shape[:2] == labels.shape and max(image.shape[:2]) <= 40
    assert 2 <= est.n_clusters_ < labels.size // 10
    assert out.stat().st_size > 1000
    with pytest.raises(ValueError, match="name"):
        segment_sample_image("not-an-image")
