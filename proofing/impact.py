"""Residual impact, as it was first named: the computation lives in ``proofing.residual`` (one computation for every
face and the record); these names stay importable from here."""

from __future__ import annotations

from proofing.checks import effect_problems as effect_problems  # where the tests have read it
from proofing.residual import IN_PLACE as IN_PLACE
from proofing.residual import AppliedEffect as AppliedEffect
from proofing.residual import MatrixCell as MatrixCell
from proofing.residual import MatrixMove as MatrixMove
from proofing.residual import Residual as Residual
from proofing.residual import ResidualFinding as ResidualFinding
from proofing.residual import ResidualMatrix as ResidualMatrix
from proofing.residual import UnscoredMitigation as UnscoredMitigation
from proofing.residual import WaitingMitigation as WaitingMitigation
from proofing.residual import all_in_place as all_in_place
from proofing.residual import counted_status as counted_status
from proofing.residual import counting_words as counting_words
from proofing.residual import lowered as lowered
from proofing.residual import residual as residual
from proofing.residual import residual_finding as residual_finding
from proofing.residual import residual_matrix as residual_matrix
from proofing.residual import screening_level as screening_level
