package com.supportress.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A function of template.yaml as the local suite runs it: its handler class and the HTTP routes it serves. */
public record LocalFunction(String logicalId, String handlerClass, List<Route> routes) {

    /**
     * One HttpApi event: a method ({@code ANY} for all), a path template such as {@code /uploads/{id}}, and the
     * authorizer it names ({@code Auth.Authorizer}: one of HttpApi's Authorizers, or AWS_IAM), empty when public.
     */
    public record Route(String method, String path, Optional<String> authorizer) {
    }

    @SuppressWarnings("unchecked")
    public static List<LocalFunction> all(SamTemplate template) {
        List<LocalFunction> functions = new ArrayList<>();
        template.resourcesOfType("AWS::Serverless::Function").forEach((id, resource) -> {
            Map<String, Object> properties = template.functionProperties(id);
            List<Route> routes = new ArrayList<>();
            SamTemplate.mapAt(properties, "Events").values().forEach(event -> {
                Map<String, Object> definition = (Map<String, Object>) event;
                if ("HttpApi".equals(definition.get("Type"))) {
                    Map<String, Object> eventProperties = SamTemplate.mapAt(definition, "Properties");
                    routes.add(new Route(String.valueOf(eventProperties.get("Method")).toUpperCase(), (String) eventProperties.get("Path"),
                            Optional.ofNullable((String) SamTemplate.mapAt(eventProperties, "Auth").get("Authorizer"))));
                }
            });
            String handler = String.valueOf(properties.get("Handler"));
            functions.add(new LocalFunction(id, handler.split("::")[0], List.copyOf(routes)));
        });
        return functions;
    }

    public static LocalFunction named(SamTemplate template, String logicalId) {
        return all(template).stream().filter(f -> f.logicalId().equals(logicalId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("template.yaml has no function " + logicalId
                        + "; functions: " + all(template).stream().map(LocalFunction::logicalId).toList()));
    }
}
