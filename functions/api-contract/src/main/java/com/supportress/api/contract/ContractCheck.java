package com.supportress.api.contract;

import com.supportress.shared.http.ApiRequest;
import com.supportress.shared.http.ApiResponse;
import com.supportress.shared.http.ResponseObserver;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/**
 * Holds every answer a function gives to the API's contract. A bean: every function context started where this module
 * is on the classpath (every test that has the emulator, and the local suite) finds it, and the HTTP adapter calls it
 * on each answer ({@link ResponseObserver}), so every test that calls a route checks what it receives without saying so.
 */
@Singleton
public class ContractCheck implements ResponseObserver {

    @Override
    public void observe(ApiRequest request, ApiResponse response) {
        require(request.method(), request.path(), response.status(), response.headers(), response.body());
    }

    /** Throws {@link ContractViolation} unless the answer is one the document allows for the route. */
    public static void require(String method, String path, int status, Map<String, String> headers, String body) {
        List<String> problems = ApiContract.get().responseProblems(method, path, new ApiContract.Response(status, headers, body));
        if (!problems.isEmpty()) {
            throw new ContractViolation("the answer " + status + " to " + method + " " + path, problems);
        }
    }
}
