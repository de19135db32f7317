package com.streamloom.media.pipeline;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Invariant: a hand-off holds at most its capacity plus its rescue capacity, however long its next thread stalls. */
class HandoffTest {
    @Test
    void itemsRescuedBeyondTheRescueCapacityAreGivenUpOldestFirstAndCounted() throws Exception {
        Handoff<Integer> handoff = new Handoff<>(2, 3, false, item -> true);  // everything must survive, if it can
        for (int i = 0; i < 10; i++) {
            handoff.send(i);                                                    // nobody takes: a stalled thread
        }
        assertThat(handoff.size()).isEqualTo(2);
        assertThat(handoff.rescueDrops()).as("8 pushed out of the queue, 3 kept").isEqualTo(5);
        List<Integer> taken = new ArrayList<>();
        for (Integer item = handoff.take(); item != null; item = handoff.take()) {
            taken.add(item);
        }
        assertThat(taken).as("the newest rescued, then the queue, in order").containsExactly(5, 6, 7, 8, 9);
        assertThat(handoff.isEmpty()).isTrue();
    }

    @Test
    void aRescueCapacityBelowOneIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Handoff<Integer>(2, 0, false, item -> true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rescue capacity");
    }
}
