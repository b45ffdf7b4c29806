/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

/**
 * Changes a client's update before it leaves the client, e.g. clips it or adds local differential-privacy
 * noise ({@code io.github.fedbiot.privacy}). The transform sees the round's broadcast, so it can work on the
 * update's difference to it.
 */
@FunctionalInterface
public interface UpdateTransform {
    /** Sends updates as trained. */
    UpdateTransform NONE = (message, update) -> update;

    /**
     * Transforms an update.
     *
     * @param message the round's broadcast the update was trained from
     * @param update the trained update
     * @return the update to send
     */
    ClientUpdate apply(RoundMessage message, ClientUpdate update);
}
