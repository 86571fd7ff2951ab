package com.supportress.billing;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/** What operators see of an account: its account item, its subscriptions and its newest events (ids and types only). */
@Serdeable
public record AccountView(String account, Map<String, Object> state, List<Map<String, Object>> subscriptions,
                          List<Map<String, Object>> recentEvents) {

    /** Nothing known of this account: no state, no subscription, no event. */
    @JsonIgnore
    public boolean isEmpty() {
        return state.isEmpty() && subscriptions.isEmpty() && recentEvents.isEmpty();
    }
}
