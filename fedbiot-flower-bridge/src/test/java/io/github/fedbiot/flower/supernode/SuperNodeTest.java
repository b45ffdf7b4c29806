/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.supernode;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.flower.app.ClientApp;
import io.github.fedbiot.flower.app.Context;
import io.github.fedbiot.flower.proto.ActivateNodeRequest;
import io.github.fedbiot.flower.proto.ConfirmMessageReceivedRequest;
import io.github.fedbiot.flower.proto.DeactivateNodeRequest;
import io.github.fedbiot.flower.proto.GetFabRequest;
import io.github.fedbiot.flower.proto.GetRunRequest;
import io.github.fedbiot.flower.proto.PullMessagesRequest;
import io.github.fedbiot.flower.proto.PullObjectRequest;
import io.github.fedbiot.flower.proto.PushMessagesRequest;
import io.github.fedbiot.flower.proto.PushObjectRequest;
import io.github.fedbiot.flower.proto.RegisterNodeFleetRequest;
import io.github.fedbiot.flower.proto.UnregisterNodeFleetRequest;
import io.github.fedbiot.flower.record.Array;
import io.github.fedbiot.flower.record.ArrayRecord;
import io.github.fedbiot.flower.record.Message;
import io.github.fedbiot.flower.record.Metadata;
import io.github.fedbiot.flower.record.RecordDict;
import io.github.fedbiot.flower.serde.DeflatedMessage;
import io.github.fedbiot.flower.serde.MessageSerde;
import io.github.fedbiot.flower.transport.FleetException;
import io.github.fedbiot.flower.transport.NodeIdentity;
import io.github.fedbiot.tensor.Tensor;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The node's round trip against an in-memory Fleet API: every request it sends, in order and with its values. */
class SuperNodeTest {
    private static final long NODE_ID = 4242;
    private static final long RUN_ID = 7;
    private static final NodeIdentity IDENTITY = NodeIdentity.generate();

    private final MessageSerde serde = new MessageSerde(64);
    private final InMemoryFleetTransport fleet = new InMemoryFleetTransport(NODE_ID,
            "[tool.flwr.app.config]\nlr = 0.5\n");
    private final AtomicReference<Context> seen = new AtomicReference<>();
    private final ClientApp doubler = ClientApp.builder().optTrain((m, c) -> {
        seen.set(c);
        float[] d = m.content().arrayRecord("arrays").get("0").toTensor().data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] *= 2;
        }
        return RecordDict.builder().add("arrays", ArrayRecord.builder()
                .add("0", Array.fromTensor(new Tensor(new int[] {d.length}, d))).build()).build();
    }).build();
    private SuperNode node;

    @AfterEach
    void closeNode() {
        if (node != null) {
            node.close();
        }
    }

    private SuperNode start() {
        node = SuperNode.builder().optTransport(fleet).optIdentity(IDENTITY).setClientApp(doubler)
                .optPollInterval(Duration.ofMillis(5)).optBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
                .optChunkSize(64).build().start();
        return node;
    }

    private DeflatedMessage offerTrain(float... values) {
        Metadata md = new Metadata(RUN_ID, "", 1, NODE_ID, "", "1", 600, "train", System.currentTimeMillis() / 1000.0);
        DeflatedMessage d = serde.deflate(Message.ofContent(md, RecordDict.builder().add("arrays",
                ArrayRecord.builder().add("0", Array.fromTensor(new Tensor(new int[] {values.length}, values))).build())
                .build()));
        fleet.offer(d);
        return d;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static List<String> rpcs(List<Object> requests) {
        return requests.stream().map(r -> r.getClass().getSimpleName().replace("FleetRequest", "")
                .replace("Request", "")).toList();
    }

    @Test
    void instructionIsPulledWithItsObjectsRunAndItsReplyPushed() throws Exception {
        DeflatedMessage ins = offerTrain(1, 2, 3);
        SuperNode n = start();
        await(() -> n.repliesSent() == 1);

        RegisterNodeFleetRequest register = fleet.requests(RegisterNodeFleetRequest.class).get(0);
        assertThat(register.getPublicKey().toByteArray()).isEqualTo(IDENTITY.publicKeyPem());
        ActivateNodeRequest activate = fleet.requests(ActivateNodeRequest.class).get(0);
        assertThat(activate.getPublicKey().toByteArray()).isEqualTo(IDENTITY.publicKeyPem());
        assertThat(activate.getHeartbeatInterval()).isEqualTo(30.0);
        assertThat(n.nodeId()).isEqualTo(NODE_ID);
        assertThat(n.isConnected()).isTrue();
        assertThat(fleet.requests(PullMessagesRequest.class).get(0).getNode().getNodeId()).isEqualTo(NODE_ID);

        List<PullObjectRequest> pulls = fleet.requests(PullObjectRequest.class);
        assertThat(pulls).extracting(PullObjectRequest::getObjectId)
                .containsExactlyInAnyOrderElementsOf(ins.objects().keySet());
        assertThat(pulls).allSatisfy(p -> {
            assertThat(p.getNode().getNodeId()).isEqualTo(NODE_ID);
            assertThat(p.getRunId()).isEqualTo(RUN_ID);
        });
        ConfirmMessageReceivedRequest confirm = fleet.requests(ConfirmMessageReceivedRequest.class).get(0);
        assertThat(confirm.getNode().getNodeId()).isEqualTo(NODE_ID);
        assertThat(confirm.getRunId()).isEqualTo(RUN_ID);
        assertThat(confirm.getMessageObjectId()).isEqualTo(ins.messageId());
        assertThat(fleet.requests(GetRunRequest.class).get(0).getRunId()).isEqualTo(RUN_ID);
        assertThat(fleet.requests(GetFabRequest.class).get(0).getHashStr()).isEqualTo(fleet.fabHash());

        PushMessagesRequest push = fleet.requests(PushMessagesRequest.class).get(0);
        assertThat(push.getNode().getNodeId()).isEqualTo(NODE_ID);
        assertThat(push.getMessagesListCount()).isEqualTo(1);
        assertThat(push.getMessagesList(0).getMetadata().getReplyToMessageId()).isEqualTo(ins.messageId());
        assertThat(push.getMessagesList(0).getMetadata().getDstNodeId()).isEqualTo(1);
        assertThat(push.getClientappRuntimeListCount()).isEqualTo(1);
        List<String> replyIds = MessageSerde.postOrderIds(push.getMessageObjectTrees(0));
        List<PushObjectRequest> objectPushes = fleet.requests(PushObjectRequest.class);
        assertThat(objectPushes).extracting(PushObjectRequest::getObjectId)
                .containsExactlyInAnyOrderElementsOf(replyIds);
        assertThat(objectPushes).allSatisfy(p -> {
            assertThat(p.getSessionId()).isEqualTo(InMemoryFleetTransport.SESSION_ID);
            assertThat(p.getRunId()).isEqualTo(RUN_ID);
        });

        List<String> order = rpcs(fleet.requests());
        assertThat(order.subList(0, 3)).containsExactly("RegisterNode", "ActivateNode", "PullMessages");
        assertThat(order.lastIndexOf("PullObject")).isLessThan(order.indexOf("ConfirmMessageReceived"));
        assertThat(order.indexOf("ConfirmMessageReceived")).isLessThan(order.indexOf("GetRun"));
        assertThat(order.indexOf("GetFab")).isLessThan(order.indexOf("PushMessages"));
        assertThat(order.indexOf("PushMessages")).isLessThan(order.indexOf("PushObject"));

        Message reply = serde.inflate(push.getMessageObjectTrees(0), fleet.pushedObjects(),
                push.getMessagesList(0).getMetadata());
        assertThat(reply.content().arrayRecord("arrays").get("0").toTensor().data()).containsExactly(2f, 4f, 6f);
        assertThat(seen.get().nodeId()).isEqualTo(NODE_ID);
        assertThat(seen.get().runId()).isEqualTo(RUN_ID);
        assertThat(seen.get().runConfig()).containsEntry("lr", 0.5);
        assertThat(n.errorRepliesSent()).isZero();
        assertThat(n.pendingReplies()).isZero();
    }

    @Test
    void transientFailuresArePassedByTheRetryPolicy() throws Exception {
        DeflatedMessage ins = offerTrain(1, 2, 3);
        fleet.failNext("PullObject", new FleetException("PullObject failed: UNAVAILABLE", FleetException.Kind.UNAVAILABLE,
                "UNAVAILABLE"));
        fleet.failNext("PushMessages", new FleetException("PushMessages failed: HTTP 503",
                FleetException.Kind.UNAVAILABLE, "HTTP 503"));
        SuperNode n = start();
        await(() -> n.repliesSent() == 1);

        List<String> pulled = fleet.requests(PullObjectRequest.class).stream().map(PullObjectRequest::getObjectId)
                .toList();
        assertThat(pulled).hasSize(ins.objects().size() + 1);
        assertThat(pulled.get(1)).as("the failed pull is retried at once").isEqualTo(pulled.get(0));
        assertThat(new HashSet<>(pulled)).isEqualTo(ins.objects().keySet());
        List<PushMessagesRequest> pushes = fleet.requests(PushMessagesRequest.class);
        assertThat(pushes).as("the reply is kept and pushed again").hasSize(2);
        assertThat(pushes.get(1).getMessagesList(0)).isEqualTo(pushes.get(0).getMessagesList(0));
        assertThat(fleet.requests(RegisterNodeFleetRequest.class)).as("no new registration").hasSize(1);
        assertThat(n.nodeId()).isEqualTo(NODE_ID);
        assertThat(n.pendingReplies()).isZero();
    }

    @Test
    void closeDeactivatesAndUnregistersTheNode() throws Exception {
        SuperNode n = start();
        await(() -> !fleet.requests(PullMessagesRequest.class).isEmpty());
        n.close();

        List<String> order = rpcs(fleet.requests());
        assertThat(order.subList(order.size() - 2, order.size())).containsExactly("DeactivateNode", "UnregisterNode");
        assertThat(fleet.requests(DeactivateNodeRequest.class).get(0).getNodeId()).isEqualTo(NODE_ID);
        assertThat(fleet.requests(UnregisterNodeFleetRequest.class).get(0).getNodeId()).isEqualTo(NODE_ID);
        assertThat(n.isConnected()).isFalse();
        assertThat(fleet.isClosed()).as("a transport the node was given stays open").isFalse();
        int calls = fleet.requests().size();
        n.close();
        assertThat(fleet.requests()).as("a second close sends nothing").hasSize(calls);
    }

    @Test
    void closeOfANodeWithAPreRegisteredKeyOnlyDeactivates() throws Exception {
        fleet.failNext("RegisterNode", new FleetException("RegisterNode failed: HTTP 409",
                FleetException.Kind.ALREADY_REGISTERED, "HTTP 409"));
        SuperNode n = start();
        await(() -> !fleet.requests(PullMessagesRequest.class).isEmpty());
        n.close();

        List<String> order = rpcs(fleet.requests());
        assertThat(order.get(order.size() - 1)).isEqualTo("DeactivateNode");
        assertThat(fleet.requests(UnregisterNodeFleetRequest.class)).isEmpty();
    }
}
