package com.supportress.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The mail SES has accepted on the emulator: moto's {@code /moto-api/data.json} ({@code ses.Message}),
 * or LocalStack's {@code /_aws/ses}. Tests filter by recipient, since the emulator is shared.
 */
public final class SentMail {

    public record Message(String source, List<String> to, String subject, String body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SentMail() {
    }

    public static List<Message> to(String recipient) {
        return all(Emulator.endpoint()).stream().filter(message -> message.to().contains(recipient)).toList();
    }

    public static List<Message> all(URI endpoint) {
        JsonNode moto = get(endpoint.resolve("/moto-api/data.json"));
        List<Message> messages = new ArrayList<>();
        if (moto != null) {
            for (JsonNode message : moto.path("ses").path("Message")) {
                List<String> to = new ArrayList<>();
                message.path("destinations").path("ToAddresses").forEach(address -> to.add(address.asText()));
                messages.add(new Message(message.path("source").asText(), to, message.path("subject").asText(), message.path("body").asText()));
            }
            return messages;
        }
        JsonNode localstack = get(endpoint.resolve("/_aws/ses"));
        if (localstack != null) {
            for (JsonNode message : localstack.path("messages")) {
                List<String> to = new ArrayList<>();
                message.path("Destination").path("ToAddresses").forEach(address -> to.add(address.asText()));
                messages.add(new Message(message.path("Source").asText(), to, message.path("Subject").asText(),
                        message.path("Body").path("text_part").asText()));
            }
            return messages;
        }
        throw new IllegalStateException("the emulator at " + endpoint + " shows no sent mail (neither moto nor LocalStack)");
    }

    private static JsonNode get(URI uri) {
        try {
            // Bounded: an emulator that stopped answering fails the test instead of hanging it.
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
