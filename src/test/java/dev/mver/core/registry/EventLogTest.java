package dev.mver.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.core.value.EventType;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.Origin;
import dev.mver.core.value.StageName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The order of a model's events and what replaying them says, without a repository. */
class EventLogTest {
    static final ModelName M = ModelName.of("churn");
    static final StageName PROD = StageName.of("production");
    static final StageName DEV = StageName.of("dev");
    static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    static EventLog.Event event(Long number, EventType type, String version, StageName stage, String tag, long second) {
        Instant time = T0.plusSeconds(second);
        return new EventLog.Event(number, type, M, version, stage, tag, "someone", time.toString(), "why", Origin.MVER,
                time, null, null);
    }

    static List<String> tags(List<EventLog.Event> events) {
        return events.stream().map(EventLog.Event::tag).toList();
    }

    @Test
    void numbered_events_keep_their_number_order_whatever_their_clocks_say() {
        List<EventLog.Event> events = new ArrayList<>(List.of(
                event(3L, EventType.PROMOTION, "1.0.0", PROD, "churn#production#3", 0),
                event(1L, EventType.REGISTRATION, "1.0.0", null, "churn@v1.0.0", 50),
                event(2L, EventType.REGISTRATION, "1.1.0", null, "churn@v1.1.0", 40)));
        Collections.shuffle(events, new java.util.Random(1));
        assertEquals(List.of("churn@v1.0.0", "churn@v1.1.0", "churn#production#3"), tags(EventLog.order(events)));
    }

    @Test
    void events_without_a_number_slot_in_by_time_registrations_first_deprecations_last_within_a_second() {
        List<EventLog.Event> events = List.of(
                event(null, EventType.DEPRECATION, "0.1.0", null, "nn@v0.1.0!", 5),
                event(1L, EventType.PROMOTION, "0.1.0", PROD, "nn#prod#1", 5),
                event(null, EventType.REGISTRATION, "0.1.0", null, "nn@v0.1.0", 5),
                event(null, EventType.REGISTRATION, "0.2.0", null, "nn@v0.2.0", 9));
        assertEquals(List.of("nn@v0.1.0", "nn#prod#1", "nn@v0.1.0!", "nn@v0.2.0"), tags(EventLog.order(events)));
    }

    @Test
    void replay_follows_promotions_rollbacks_demotions_and_deprecations() {
        List<EventLog.Event> events = List.of(
                event(1L, EventType.REGISTRATION, "1.0.0", null, "a", 0),
                event(2L, EventType.REGISTRATION, "1.1.0", null, "b", 1),
                event(3L, EventType.PROMOTION, "1.0.0", PROD, "c", 2),
                event(4L, EventType.PROMOTION, "1.1.0", PROD, "d", 3),
                event(5L, EventType.PROMOTION, "1.1.0", DEV, "e", 4),
                event(6L, EventType.ROLLBACK, "1.0.0", PROD, "f", 5),
                event(7L, EventType.DEMOTION, "1.1.0", DEV, "g", 6),
                event(8L, EventType.DEPRECATION, "1.1.0", null, "h", 7));
        EventLog.State state = EventLog.replay(events);
        assertEquals(Map.of(PROD, "1.0.0"), state.stages());
        assertEquals(List.of("1.1.0"), List.copyOf(state.deprecated()));
        assertFalse(state.modelDeprecated());

        EventLog.State earlier = EventLog.replay(EventLog.upToTag(events, "d"));
        assertEquals(Map.of(PROD, "1.1.0"), earlier.stages());
        assertEquals(Map.of(PROD, "1.1.0", DEV, "1.1.0"), EventLog.replay(EventLog.upToTime(events,
                T0.plusSeconds(4))).stages());
    }

    @Test
    void a_demotion_of_a_version_no_longer_in_the_stage_leaves_the_new_occupant() {
        EventLog.State state = EventLog.replay(List.of(
                event(1L, EventType.PROMOTION, "1.0.0", PROD, "a", 0),
                event(2L, EventType.PROMOTION, "1.1.0", PROD, "b", 1),
                event(3L, EventType.DEMOTION, "1.0.0", PROD, "c", 2)));
        assertEquals(Map.of(PROD, "1.1.0"), state.stages());
        assertTrue(EventLog.replay(List.of(event(null, EventType.MODEL_DEPRECATION, null, null, "churn@deprecated", 0)))
                .modelDeprecated());
    }

    @Test
    void the_next_event_number_is_one_more_than_any_in_use() {
        assertEquals(1, EventLog.nextNumber(List.of()));
        assertEquals(8, EventLog.nextNumber(List.of(event(7L, EventType.PROMOTION, "1.0.0", PROD, "a", 0),
                event(null, EventType.REGISTRATION, "1.0.0", null, "b", 1), event(3L, EventType.REGISTRATION,
                        "0.1.0", null, "c", 2))));
    }
}
