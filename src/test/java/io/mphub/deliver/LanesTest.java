package io.mphub.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LanesTest {

    private record Item(String user, int n) {
    }

    private final Map<String, List<Integer>> done = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> busy = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();
    private final CountDownLatch gate = new CountDownLatch(1);
    private Lanes<String, Item> lanes;

    @AfterEach
    void close() {
        if (lanes != null) {
            lanes.close();
        }
    }

    private boolean work(Item item) {
        if (busy.computeIfAbsent(item.user(), u -> new AtomicInteger()).incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
            gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.decrementAndGet();
        busy.get(item.user()).decrementAndGet();
        done.computeIfAbsent(item.user(), u -> Collections.synchronizedList(new ArrayList<>())).add(item.n());
        return item.n() >= 0;
    }

    @Test
    void eachUsersItemsRunOneAtATimeInOrderAndUsersRunSideBySideUpToTheWidth() {
        lanes = new Lanes<>("test", 8, this::work);
        for (int n = 0; n < 50; n++) {
            for (int u = 0; u < 20; u++) {
                lanes.add("user" + u, new Item("user" + u, n));
            }
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> lanes.running() == 8);
        gate.countDown();

        await().atMost(10, TimeUnit.SECONDS).until(() -> lanes.pending() == 0);
        assertThat(done).hasSize(20);
        done.values().forEach(items -> assertThat(items).hasSize(50).isSorted());
        assertThat(overlaps).hasValue(0);
        assertThat(mostAtOnce).hasValue(8);
    }

    @Test
    void anItemThatFailsBlocksItsLaneOnlyUntilItIsDroppedSoNoLaterItemOvertakesIt() throws InterruptedException {
        gate.countDown();
        lanes = new Lanes<>("test", 4, this::work);
        lanes.add("a", new Item("a", 1));
        lanes.add("a", new Item("a", -1));
        lanes.add("a", new Item("a", 3));
        lanes.add("b", new Item("b", 1));
        lanes.add("b", new Item("b", 2));

        await().atMost(5, TimeUnit.SECONDS).until(() -> lanes.pending() == 0);
        assertThat(done.get("a")).containsExactly(1, -1);
        assertThat(done.get("b")).containsExactly(1, 2);

        // Added before its records are read again: kept, not started.
        lanes.add("a", new Item("a", 4));
        lanes.add("b", new Item("b", 3));
        await().atMost(5, TimeUnit.SECONDS).until(() -> done.get("b").size() == 3);
        assertThat(done.get("a")).containsExactly(1, -1);
        assertThat(lanes.pending()).isEqualTo(1);

        lanes.drop("a"::equals);
        lanes.awaitIdle(k -> true);
        assertThat(lanes.pending()).isZero();
        lanes.add("a", new Item("a", 3));
        await().atMost(5, TimeUnit.SECONDS).until(() -> done.get("a").size() == 3);
        assertThat(done.get("a")).containsExactly(1, -1, 3);
    }

    @Test
    void aWorkerThatThrowsStopsItsLaneAndTheThreadGoesOnWithTheOthers() {
        gate.countDown();
        lanes = new Lanes<>("test", 1, item -> {
            if (item.n() == 0) {
                throw new IllegalStateException("boom");
            }
            return work(item);
        });
        lanes.add("a", new Item("a", 0));
        lanes.add("a", new Item("a", 1));
        lanes.add("b", new Item("b", 1));

        await().atMost(5, TimeUnit.SECONDS).until(() -> done.containsKey("b"));
        assertThat(done.get("b")).containsExactly(1);
        assertThat(done).doesNotContainKey("a");
        assertThat(lanes.running()).isZero();
    }

    @Test
    void droppingLeavesTheRunningItemAndRemovesWhatWaits() throws InterruptedException {
        lanes = new Lanes<>("test", 2, this::work);
        lanes.add("a", new Item("a", 1));
        lanes.add("a", new Item("a", 2));
        lanes.add("b", new Item("b", 1));
        await().atMost(5, TimeUnit.SECONDS).until(() -> lanes.running() == 2);

        lanes.drop("a"::equals);
        assertThat(lanes.pending()).isEqualTo(2);
        gate.countDown();
        lanes.awaitIdle(k -> true);

        await().atMost(5, TimeUnit.SECONDS).until(() -> lanes.pending() == 0);
        assertThat(done.get("a")).containsExactly(1);
        assertThat(done.get("b")).containsExactly(1);
    }
}
