package com.supportress.emulator;

import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * CloudFormation's side of a custom resource, which no emulator offers: the presigned ResponseURL a provider PUTs its
 * answer to. A custom-resource event invoked locally is pointed here instead of at S3, so the function answers as in
 * AWS and the answer can be read (and printed) as CloudFormation would receive it.
 */
public final class EmulatedCloudFormation implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<JsonNode> responses = new CopyOnWriteArrayList<>();

    public EmulatedCloudFormation() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the local response URL", e);
        }
        server.createContext("/", exchange -> {
            try (exchange; InputStream body = exchange.getRequestBody()) {
                responses.add(JSON.readTree(body));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
    }

    /** Points the event's ResponseURL here, as CloudFormation's presigned URL would point at its bucket. */
    public void answerHere(CloudFormationCustomResourceEvent event) {
        event.setResponseUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/cloudformation-response?X-Amz-Signature=local");
    }

    /** The answers received so far, oldest first. */
    public List<JsonNode> responses() {
        return List.copyOf(responses);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
