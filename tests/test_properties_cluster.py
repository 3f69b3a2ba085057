"""QuickshiftPP on well-separated clouds: clusters never mix, and every true cluster has a core."""

import numpy as np
from hypothesis import given, settings

from symdyn import QuickshiftPP
from symdyn.strategies import point_clouds


@settings(max_examples=25)
@given(point_clouds(min_clusters=1, max_clusters=4, dim=2, min_size=12, max_size=40, separation=2.0))
def test_predicted_clusters_refine_the_truth(case):
    # k <= smallest cluster and gap > diameter: the k nearest neighbours of a point are in its cluster.
    # beta = 0: a point becomes a core candidate once any sample is strictly less dense, so every
    # cluster gets a core.  With beta > 0 the reference semantics leave the least dense cluster
    # without a core when no sample is (1 - beta)^(-1/d) times sparser than its mode, and it then
    # joins its nearest denser neighbour's cluster (seen with beta = 0.5 on 39/12/13-point clouds).
    k = int(case.sizes.min())
    est = QuickshiftPP(k=k, beta=0.0).fit(case.X)
    pred = est.labels_
    for label in np.unique(pred):
        assert np.unique(case.labels[pred == label]).size == 1, "a predicted cluster mixes true clusters"
    assert est.n_clusters_ >= case.n_clusters
    for j in range(case.n_clusters):
        assert est.core_sample_mask_[case.labels == j].any(), f"true cluster {j} has no core"
