package com.supportress.api.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The HTTP API's OpenAPI 3.1 document (openapi.yaml, on the classpath) and the checks of requests and answers
 * against it. Routes are matched as API Gateway matches them: a literal path before a parameterised one, a method
 * before {@code x-amazon-apigateway-any-method} (template.yaml's {@code ANY}). Schemas are JSON Schema 2020-12 in
 * OpenAPI 3.1's dialect, validated with format assertions on.
 */
public final class ApiContract {

    /** What the document is called inside the schema registry; {@code $ref}s resolve against it. */
    private static final String DOCUMENT_IRI = "https://supportress.example/openapi.json";
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final String ANY_METHOD = "x-amazon-apigateway-any-method";
    // Bodies are read as the functions read them: one value, no duplicate names, nothing after it.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** A route as template.yaml declares one: a method ({@code ANY} for every method) and a path template. */
    public record Route(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** A request as it reaches a function: its query parameters, header names in lower case, the body as sent (empty for none). */
    public record Request(String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body) {
        public Request {
            query = Map.copyOf(query);
            Map<String, String> lowerCase = new LinkedHashMap<>();
            headers.forEach((name, value) -> lowerCase.put(name.toLowerCase(Locale.ROOT), value));
            headers = Map.copyOf(lowerCase);
        }
    }

    /** An answer: status, headers (any case), body text (null or empty for none). */
    public record Response(int status, Map<String, String> headers, String body) {
        public Response {
            Map<String, String> lowerCase = new LinkedHashMap<>();
            headers.forEach((name, value) -> lowerCase.put(name.toLowerCase(Locale.ROOT), value));
            headers = Map.copyOf(lowerCase);
        }
    }

    /** A node of the document and the JSON pointer it sits at, which schema validation needs. */
    private record Located(JsonNode node, String pointer) {
        Located at(String... steps) {
            String path = pointer;
            JsonNode current = node;
            for (String step : steps) {
                current = current.isArray() ? current.path(Integer.parseInt(step)) : current.path(step);
                path += "/" + step.replace("~", "~0").replace("/", "~1");
            }
            return new Located(current, path);
        }
    }

    private record Operation(Route route, List<String> segments, Located node) {
        boolean matches(List<String> path) {
            if (segments.size() != path.size()) {
                return false;
            }
            for (int i = 0; i < segments.size(); i++) {
                if (!isParameter(segments.get(i)) ? !segments.get(i).equals(path.get(i)) : path.get(i).isEmpty()) {
                    return false;
                }
            }
            return true;
        }

        long parameters() {
            return segments.stream().filter(ApiContract::isParameter).count();
        }
    }

    private final JsonNode document;
    private final List<Route> routes;
    private final List<Operation> operations = new ArrayList<>();
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private ApiContract(JsonNode document) {
        this.document = document;
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            String key = operation.getKey();
            if (METHODS.contains(key) || key.equals(ANY_METHOD)) {
                Route route = new Route(key.equals(ANY_METHOD) ? "ANY" : key.toUpperCase(Locale.ROOT), path.getKey());
                operations.add(new Operation(route, segments(path.getKey()),
                        new Located(document, "").at("paths", path.getKey(), key)));
            }
        }));
        this.routes = operations.stream().map(Operation::route).toList();
        // As API Gateway picks among matching routes: fewer path parameters first, then a method before ANY.
        operations.sort(Comparator.comparingLong(Operation::parameters).thenComparing(op -> op.route().method().equals("ANY")));
        String text;
        try {
            text = JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        this.registry = SchemaRegistry.withDialect(Dialects.getOpenApi31(), builder -> builder.schemas(Map.of(DOCUMENT_IRI, text)));
    }

    /** The document on the classpath, read once per JVM. */
    public static ApiContract get() {
        return Loaded.CONTRACT;
    }

    private static final class Loaded {
        static final ApiContract CONTRACT = read();

        private static ApiContract read() {
            try (InputStream in = ApiContract.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
                if (in == null) {
                    throw new IllegalStateException("openapi.yaml is not on the classpath (functions/api-contract)");
                }
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A document given as YAML text. */
    public static ApiContract parse(String yaml) {
        Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        return new ApiContract(JSON.valueToTree(tree));
    }

    /** Every route the document describes, in document order of paths. */
    public List<Route> routes() {
        return routes;
    }

    /** The security schemes a route accepts (any one of its requirements); empty for a public route. */
    public Set<String> securitySchemes(Route route) {
        Operation operation = declared(route);
        JsonNode security = security(operation);
        Set<String> schemes = new LinkedHashSet<>();
        security.forEach(requirement -> requirement.fieldNames().forEachRemaining(schemes::add));
        return schemes;
    }

    /** The route API Gateway would pick for a method and a path, if the document has one. */
    public Optional<Route> route(String method, String path) {
        return operation(method, path).map(Operation::route);
    }

    /** A value in the document, by JSON pointer (e.g. {@code /components/schemas/UploadRequest/properties/size/maximum}). */
    public JsonNode at(String pointer) {
        return document.at(pointer);
    }

    /** The operation's security requirements, or the document's when it names none. */
    private JsonNode security(Operation operation) {
        JsonNode own = operation.node().node().get("security");
        return own != null ? own : document.path("security");
    }

    private Operation declared(Route route) {
        return operations.stream().filter(op -> op.route().equals(route)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("openapi.yaml has no route " + route));
    }

    private Optional<Operation> operation(String method, String path) {
        List<String> segments = segments(path);
        return operations.stream()
                .filter(op -> op.route().method().equals("ANY") || op.route().method().equals(method.toUpperCase(Locale.ROOT)))
                .filter(op -> op.matches(segments))
                .findFirst();
    }

    /**
     * What is wrong with a request, by the document: its route, path, query and header parameters, the credentials its
     * security asks for (present, not checked), its body's media type and schema. Empty when it matches.
     */
    public List<String> requestProblems(Request request) {
        Optional<Operation> found = operation(request.method(), request.path());
        if (found.isEmpty()) {
            return List.of("openapi.yaml has no route for " + request.method() + " " + request.path());
        }
        Operation operation = found.get();
        List<String> problems = new ArrayList<>();
        Map<String, String> pathValues = pathValues(operation, request.path());
        for (Located parameter : parameters(operation)) {
            String name = parameter.node().path("name").asText();
            String where = parameter.node().path("in").asText();
            Optional<String> value = switch (where) {
                case "path" -> Optional.ofNullable(pathValues.get(name));
                case "query" -> Optional.ofNullable(request.query().get(name));
                case "header" -> Optional.ofNullable(request.headers().get(name.toLowerCase(Locale.ROOT)));
                default -> Optional.empty();
            };
            if (value.isEmpty()) {
                if (parameter.node().path("required").asBoolean()) {
                    problems.add(where + " parameter " + name + " is required");
                }
                continue;
            }
            validate(parameter.at("schema"), literal(value.get(), parameter.at("schema")))
                    .forEach(error -> problems.add(where + " parameter " + name + error));
        }
        securityProblem(operation, request.headers()).ifPresent(problems::add);
        problems.addAll(bodyProblems(operation, request));
        return problems;
    }

    /**
     * What is wrong with an answer to a request of this method and path, by the document: a status it lists, the
     * headers it requires (and the documented ones present, by their schema), a media type it lists and a body
     * matching that type's schema (no body where it lists none). Empty when it matches.
     */
    public List<String> responseProblems(String method, String path, Response response) {
        Optional<Operation> found = operation(method, path);
        if (found.isEmpty()) {
            return List.of("openapi.yaml has no route for " + method + " " + path);
        }
        Located responses = found.get().node().at("responses");
        String status = Integer.toString(response.status());
        String range = status.charAt(0) + "XX";
        Optional<String> listed = Stream.of(status, range, "default").filter(responses.node()::has).findFirst();
        if (listed.isEmpty()) {
            List<String> statuses = new ArrayList<>();
            responses.node().fieldNames().forEachRemaining(statuses::add);
            return List.of("status " + status + " is not listed (listed: " + String.join(", ", statuses) + ")");
        }
        Located answer = resolve(responses.at(listed.get()));
        List<String> problems = new ArrayList<>();
        answer.node().path("headers").properties().forEach(header -> {
            if (header.getKey().equalsIgnoreCase("content-type")) {
                return;
            }
            Located definition = resolve(answer.at("headers", header.getKey()));
            String value = response.headers().get(header.getKey().toLowerCase(Locale.ROOT));
            if (value == null) {
                if (definition.node().path("required").asBoolean()) {
                    problems.add("header " + header.getKey() + " is required");
                }
                return;
            }
            validate(definition.at("schema"), literal(value, definition.at("schema")))
                    .forEach(error -> problems.add("header " + header.getKey() + error));
        });
        Located content = answer.at("content");
        String body = response.body() == null ? "" : response.body();
        if (content.node().isMissingNode() || content.node().isEmpty()) {
            if (!body.isEmpty()) {
                problems.add("a body where the document lists none");
            }
            return problems;
        }
        String contentType = response.headers().getOrDefault("content-type", "");
        Optional<String> mediaType = mediaType(content, contentType);
        if (mediaType.isEmpty()) {
            List<String> types = new ArrayList<>();
            content.node().fieldNames().forEachRemaining(types::add);
            problems.add("content type '" + contentType + "' is not listed (listed: " + String.join(", ", types) + ")");
            return problems;
        }
        problems.addAll(bodyAgainst(content.at(mediaType.get(), "schema"), mediaType.get(), body));
        return problems;
    }

    /** What is wrong with a request body (given as its Content-Type) by the route's schema: for payloads kept apart from any request. */
    public List<String> bodyProblems(Route route, String contentType, byte[] body) {
        return bodyProblems(declared(route), new Request(route.method(), route.path(), Map.of(), Map.of("content-type", contentType), body));
    }

    private List<String> bodyProblems(Operation operation, Request request) {
        Located requestBody = resolve(operation.node().at("requestBody"));
        if (requestBody.node().isMissingNode()) {
            return request.body().length == 0 ? List.of() : List.of("a body where the operation takes none");
        }
        if (request.body().length == 0) {
            return requestBody.node().path("required").asBoolean() ? List.of("the body is required") : List.of();
        }
        Located content = requestBody.at("content");
        String contentType = request.headers().getOrDefault("content-type", "");
        Optional<String> mediaType = mediaType(content, contentType);
        if (mediaType.isEmpty()) {
            List<String> types = new ArrayList<>();
            content.node().fieldNames().forEachRemaining(types::add);
            return List.of("content type '" + contentType + "' is not listed (listed: " + String.join(", ", types) + ")");
        }
        return bodyAgainst(content.at(mediaType.get(), "schema"), mediaType.get(),
                new String(request.body(), StandardCharsets.UTF_8));
    }

    private List<String> bodyAgainst(Located schema, String mediaType, String body) {
        String instance;
        if (isJson(mediaType)) {
            try {
                JSON.readTree(body);
            } catch (JsonProcessingException e) {
                return List.of("the body is not one JSON value: " + e.getOriginalMessage());
            }
            instance = body;
        } else {
            instance = jsonString(body);
        }
        return validate(schema, instance).stream().map(error -> "body" + error).toList();
    }

    /** Present credentials for one of the operation's security requirements (each scheme of it); none for a public route. */
    private Optional<String> securityProblem(Operation operation, Map<String, String> headers) {
        JsonNode security = security(operation);
        if (security.isEmpty()) {
            return Optional.empty();
        }
        List<String> wanted = new ArrayList<>();
        for (JsonNode requirement : security) {
            boolean satisfied = true;
            for (var names = requirement.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                wanted.add(name);
                satisfied &= presents(document.path("components").path("securitySchemes").path(name), headers);
            }
            if (satisfied) {
                return Optional.empty();
            }
        }
        return Optional.of("no credentials for " + String.join(" or ", wanted));
    }

    private static boolean presents(JsonNode scheme, Map<String, String> headers) {
        return switch (scheme.path("type").asText()) {
            case "http" -> headers.getOrDefault("authorization", "").regionMatches(true, 0, scheme.path("scheme").asText() + " ", 0,
                    scheme.path("scheme").asText().length() + 1);
            case "apiKey" -> scheme.path("in").asText().equals("header")
                    && !headers.getOrDefault(scheme.path("name").asText().toLowerCase(Locale.ROOT), "").isBlank();
            default -> false;
        };
    }

    private List<Located> parameters(Operation operation) {
        List<Located> parameters = new ArrayList<>();
        Located pathItem = new Located(document, "").at("paths", operation.route().path());
        for (Located list : List.of(pathItem.at("parameters"), operation.node().at("parameters"))) {
            for (int i = 0; i < list.node().size(); i++) {
                parameters.add(resolve(list.at(Integer.toString(i))));
            }
        }
        return parameters;
    }

    private static Map<String, String> pathValues(Operation operation, String path) {
        List<String> values = segments(path);
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < operation.segments().size(); i++) {
            String segment = operation.segments().get(i);
            if (isParameter(segment)) {
                parameters.put(segment.substring(1, segment.length() - 1), URLDecoder.decode(values.get(i).replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    /** The listed media type a Content-Type value names (parameters such as charset aside), if any. */
    private static Optional<String> mediaType(Located content, String contentType) {
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        List<String> listed = new ArrayList<>();
        content.node().fieldNames().forEachRemaining(listed::add);
        return listed.stream().filter(candidate -> candidate.equals(type)).findFirst()
                .or(() -> listed.stream().filter(candidate -> candidate.endsWith("/*")
                        && type.startsWith(candidate.substring(0, candidate.length() - 1))).findFirst());
    }

    private static boolean isJson(String mediaType) {
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    /** Follows a {@code $ref} to a component (every reference here points into this document). */
    private Located resolve(Located node) {
        Located current = node;
        while (current.node().has("$ref")) {
            String reference = current.node().get("$ref").asText();
            if (!reference.startsWith("#/")) {
                throw new IllegalStateException("openapi.yaml refers outside itself: " + reference);
            }
            String pointer = reference.substring(1);
            current = new Located(document.at(pointer), pointer);
        }
        return current;
    }

    /** A header or parameter value as the JSON its schema describes: a number where it wants one, else a string. */
    private String literal(String value, Located schema) {
        String type = resolve(schema).node().path("type").asText();
        if ((type.equals("integer") || type.equals("number")) && value.trim().matches("-?\\d+(\\.\\d+)?")) {
            return value.trim();
        }
        return jsonString(value);
    }

    private static String jsonString(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each error as its place in the instance (a JSON pointer, empty for the whole) and what is wrong there. */
    private List<String> validate(Located schema, String json) {
        Schema compiled = schemas.computeIfAbsent(schema.pointer(), pointer -> {
            Schema loaded = registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + pointer));
            loaded.initializeValidators();
            return loaded;
        });
        return compiled.validate(json, InputFormat.JSON,
                        context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)))
                .stream().map(Object::toString).toList();
    }

    private static boolean isParameter(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    private static List<String> segments(String path) {
        return List.of(path.replaceAll("^/+|/+$", "").split("/+", -1));
    }
}
