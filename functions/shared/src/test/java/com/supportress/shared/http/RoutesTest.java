package com.supportress.shared.http;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Unit tier: route matching, no emulator. */
class RoutesTest {

    private final Routes routes = new Routes()
            .on("POST", "/uploads", request -> ApiResponse.text(201, "created"))
            .on("GET", "/uploads/{id}", request -> ApiResponse.text(200, "upload " + request.pathParameter("id")))
            .on("POST", "/uploads/{id}/parts", request -> ApiResponse.text(200, "parts of " + request.pathParameter("id")));

    @Test
    void dispatchesOnMethodAndPathTemplateWithParameters() {
        assertEquals("upload u1", routes.dispatch(request("GET", "/uploads/u1")).body());
        assertEquals("parts of u2", routes.dispatch(request("POST", "/uploads/u2/parts/")).body());
        assertEquals(201, routes.dispatch(request("POST", "/uploads")).status());
    }

    @Test
    void knownPathWithAnotherMethodIsA405NamingTheAllowedMethods() {
        ClientErrorException e = assertThrows(ClientErrorException.class, () -> routes.dispatch(request("DELETE", "/uploads")));
        ClientError.MethodNotAllowed error = assertInstanceOf(ClientError.MethodNotAllowed.class, e.error());
        assertEquals(Set.of("POST"), error.allowed());
        assertEquals("POST", error.headers().get("allow"));
    }

    @Test
    void unknownPathIsA404() {
        ClientErrorException e = assertThrows(ClientErrorException.class, () -> routes.dispatch(request("GET", "/uploads/u1/other")));
        assertEquals(404, e.error().status());
    }

    private static ApiRequest request(String method, String path) {
        return new ApiRequest(method, path, Map.of(), Map.of(), Map.of(), new byte[0], "127.0.0.1", "test", "localhost");
    }
}
