package com.supportress.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates the CloudFormation intrinsic functions the template uses (Ref, Fn::Sub, Fn::GetAtt,
 * Fn::Join, Fn::Split, Fn::Select, Fn::If with its conditions) against local names, the way CloudFormation
 * would against deployed ones.
 */
public final class Intrinsics {

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final Function<String, Object> ref;
    private final BiFunction<String, String, Object> getAtt;
    private final Map<String, Object> conditions;

    public Intrinsics(Function<String, Object> ref, BiFunction<String, String, Object> getAtt, Map<String, Object> conditions) {
        this.ref = ref;
        this.getAtt = getAtt;
        this.conditions = conditions;
    }

    @SuppressWarnings("unchecked")
    public Object resolve(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(this::resolve).toList();
        }
        if (!(value instanceof Map<?, ?> map)) {
            return value;
        }
        if (map.size() == 1) {
            String key = (String) map.keySet().iterator().next();
            Object argument = map.values().iterator().next();
            switch (key) {
                case "Ref":
                    return ref.apply((String) argument);
                case "Fn::GetAtt": {
                    List<String> parts = (List<String>) argument;
                    return getAtt.apply(parts.get(0), parts.get(1));
                }
                case "Fn::Sub":
                    return sub(argument);
                case "Fn::Join": {
                    List<Object> parts = (List<Object>) argument;
                    return String.join((String) parts.get(0), flatten(resolve(parts.get(1))));
                }
                case "Fn::Split": {
                    List<Object> parts = (List<Object>) argument;
                    return List.of(String.valueOf(resolve(parts.get(1))).split(java.util.regex.Pattern.quote((String) parts.get(0)), -1));
                }
                case "Fn::Select": {
                    List<Object> parts = (List<Object>) argument;
                    return flatten(resolve(parts.get(1))).get(Integer.parseInt(String.valueOf(resolve(parts.get(0)))));
                }
                case "Fn::If": {
                    List<Object> parts = (List<Object>) argument;
                    return resolve(condition((String) parts.get(0)) ? parts.get(1) : parts.get(2));
                }
                default:
                    break;
            }
        }
        Map<String, Object> resolved = new LinkedHashMap<>();
        ((Map<String, Object>) map).forEach((k, v) -> resolved.put(k, resolve(v)));
        return resolved;
    }

    public boolean condition(String name) {
        Object definition = conditions.get(name);
        if (definition == null) {
            throw new IllegalArgumentException("template.yaml has no condition " + name);
        }
        return evaluate(definition);
    }

    @SuppressWarnings("unchecked")
    private boolean evaluate(Object definition) {
        Map<String, Object> map = (Map<String, Object>) definition;
        String key = map.keySet().iterator().next();
        Object argument = map.get(key);
        return switch (key) {
            case "Fn::Equals" -> {
                List<Object> pair = (List<Object>) argument;
                yield String.valueOf(resolve(pair.get(0))).equals(String.valueOf(resolve(pair.get(1))));
            }
            case "Fn::Not" -> !evaluate(((List<Object>) argument).get(0));
            case "Fn::And" -> ((List<Object>) argument).stream().allMatch(this::evaluate);
            case "Fn::Or" -> ((List<Object>) argument).stream().anyMatch(this::evaluate);
            case "Condition" -> condition((String) argument);
            default -> throw new IllegalArgumentException("unsupported condition function " + key);
        };
    }

    @SuppressWarnings("unchecked")
    private String sub(Object argument) {
        String text;
        Map<String, Object> variables = Map.of();
        if (argument instanceof List<?> list) {
            text = (String) list.get(0);
            variables = (Map<String, Object>) list.get(1);
        } else {
            text = (String) argument;
        }
        Matcher matcher = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            Object value;
            if (variables.containsKey(name)) {
                value = resolve(variables.get(name));
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                String[] parts = name.split("\\.", 2);
                value = getAtt.apply(parts[0], parts[1]);
            } else {
                value = ref.apply(name);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value)));
        }
        matcher.appendTail(out);
        return out.toString().replace("${!", "${");
    }

    private static List<String> flatten(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> out.addAll(flatten(item)));
        } else {
            out.add(String.valueOf(value));
        }
        return out;
    }
}
