"""FedBiOT as a Flower strategy: Flower's FedAvg on the adapter LoRA, plus the emulator LoRA from the aligner."""
from __future__ import annotations

from collections.abc import Iterable

from flwr.app import ArrayRecord, ConfigRecord, Message, MetricRecord
from flwr.serverapp import Grid
from flwr.serverapp.strategy import FedAvg

from .aligner import AlignerClient

ADAPTER = "adapter"
EMULATOR = "emulator"


class RoundFailedError(RuntimeError):
    """A round ended with fewer successful replies than the run requires: the run fails."""


class FedBiOT(FedAvg):
    """Each round broadcasts the adapter LoRA ("adapter"), the emulator LoRA ("emulator") and the aligner's round
    settings ("config"); aggregates the returned adapter LoRA by FedAvg weighted by "num-examples"; then asks the
    aligner for the emulator LoRA aligned to the new adapter, which the next round broadcasts (no alignment after
    the last round)."""

    def __init__(self, aligner: AlignerClient, emulator: ArrayRecord, num_rounds: int, min_replies: int,
                 **kwargs) -> None:
        super().__init__(arrayrecord_key=ADAPTER, configrecord_key="config", weighted_by_key="num-examples",
                         fraction_evaluate=0.0, **kwargs)
        self.aligner = aligner
        self.emulator = emulator
        self.num_rounds = num_rounds
        self.min_replies = min_replies
        self.adapter: ArrayRecord | None = None

    def configure_train(self, server_round: int, arrays: ArrayRecord, config: ConfigRecord,
                        grid: Grid) -> Iterable[Message]:
        self.adapter = arrays
        for key, value in self.aligner.round_config(server_round).items():
            config[key] = value
        messages = list(super().configure_train(server_round, arrays, config, grid))
        for m in messages:
            m.content[EMULATOR] = self.emulator
        return messages

    def aggregate_train(self, server_round: int,
                        replies: Iterable[Message]) -> tuple[ArrayRecord | None, MetricRecord | None]:
        replies = list(replies)
        ok = [m for m in replies if not m.has_error()]
        if len(ok) < self.min_replies:
            # FedAvg would carry on with the old adapter; a FedBiOT run must not end "completed" without training.
            errors = "; ".join(f"node {m.metadata.src_node_id}: {m.error.reason}" for m in replies if m.has_error())
            raise RoundFailedError(
                f"round {server_round}: {len(ok)} of {len(replies)} replies succeeded, fewer than min-replies = "
                f"{self.min_replies}; the nodes' errors: {errors or '(no reply came back in time)'}")
        arrays, metrics = super().aggregate_train(server_round, ok)
        if arrays is None:
            raise RoundFailedError(f"round {server_round}: FedAvg aggregated nothing from {len(ok)} replies")
        self.adapter = arrays
        if server_round < self.num_rounds:
            self.emulator = self.aligner.align(server_round + 1, arrays)
        return arrays, metrics
