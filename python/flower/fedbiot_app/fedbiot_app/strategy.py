"""FedBiOT as a Flower strategy: the Java aligner validates and aggregates the adapter LoRA updates (the round path
of the in-process simulation) and returns the emulator LoRA aligned to the aggregate."""
from __future__ import annotations

import math
from collections.abc import Iterable
from logging import WARNING

import grpc
from flwr.app import ArrayRecord, ConfigRecord, Message, MetricRecord
from flwr.common.logger import log
from flwr.serverapp import Grid
from flwr.serverapp.strategy import FedAvg

from .aligner import Aggregation, AlignerClient, Update

ADAPTER = "adapter"
EMULATOR = "emulator"


class RoundFailedError(RuntimeError):
    """A round ended with fewer successful replies or accepted updates than the run requires: the run fails."""


class FedBiOT(FedAvg):
    """Each round broadcasts the adapter LoRA ("adapter"), the emulator LoRA ("emulator") and the aligner's round
    settings ("config"). The successful replies go to the aligner, which validates each update (names, shapes,
    finite values, num-examples within one round's examples) as the simulation does, drops the rejected ones and
    averages the rest weighted by "num-examples"; it then aligns the emulator to that aggregate for the next round
    (Align) or, after the last round, keeps the aggregate as the final adapter (Finish). Flower's FedAvg only
    samples the nodes and averages the accepted replies' metrics."""

    def __init__(self, aligner: AlignerClient, emulator: ArrayRecord, num_rounds: int, min_replies: int,
                 **kwargs) -> None:
        super().__init__(arrayrecord_key=ADAPTER, configrecord_key="config", weighted_by_key="num-examples",
                         fraction_evaluate=0.0, **kwargs)
        self.aligner = aligner
        self.emulator = emulator
        self.num_rounds = num_rounds
        self.min_replies = max(1, min_replies)
        self.adapter: ArrayRecord | None = None
        self.output: str | None = None

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
        updates = [self._update(m) for m in ok]
        try:
            if server_round < self.num_rounds:
                aggregation, self.emulator = self.aligner.align(server_round + 1, updates, self.min_replies)
            else:
                aggregation, self.output = self.aligner.finish(server_round, updates, self.min_replies)
        except grpc.RpcError as e:
            if e.code() != grpc.StatusCode.INVALID_ARGUMENT:
                raise
            raise RoundFailedError(f"round {server_round}: the aligner refused the round's updates (min-replies = "
                                   f"{self.min_replies}): {e.details()}") from e
        for node, reason in aggregation.rejected.items():
            log(WARNING, "[fedbiot] round %d: the aligner rejected the update of node %s: %s", server_round, node,
                reason)
        self.adapter = aggregation.adapter
        return aggregation.adapter, self._metrics(ok, aggregation)

    def _update(self, m: Message) -> Update:
        # A reply without the adapter or a usable num-examples still goes to the aligner, whose validator rejects
        # it with the reason (missing tensors, sample count 0), as the simulation would.
        content = m.content
        adapter = content.array_records.get(ADAPTER)
        metrics = next(iter(content.metric_records.values()), None)
        n = metrics.get(self.weighted_by_key) if metrics is not None else None
        if isinstance(n, float) and math.isfinite(n) and n == int(n):
            n = int(n)
        return Update(str(m.metadata.src_node_id), adapter if adapter is not None else ArrayRecord(),
                      n if isinstance(n, int) else 0)

    def _metrics(self, ok: list[Message], aggregation: Aggregation) -> MetricRecord | None:
        accepted = set(aggregation.accepted)
        contents = [m.content for m in ok if str(m.metadata.src_node_id) in accepted]
        return self.train_metrics_aggr_fn(contents, self.weighted_by_key) if contents else None
