package com.supportress.emulator;

import java.util.LinkedHashMap;
import java.util.Map;

/** Template parameter values in SAM's {@code --parameter-overrides} form: {@code Name=Value Name2=Value2}. */
public final class ParameterOverrides {

    private ParameterOverrides() {
    }

    public static Map<String, String> parse(String text) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String pair : text.trim().split("\\s+")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                overrides.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
        }
        return overrides;
    }
}
