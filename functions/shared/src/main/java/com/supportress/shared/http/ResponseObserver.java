package com.supportress.shared.http;

/**
 * Sees every answer the HTTP adapter gives, with the request it answers. No function deploys one; the tests' classpath
 * holds one bean of it (functions/api-contract's ContractCheck), which holds every answer to the API's OpenAPI
 * document, so no test can receive an answer the contract does not allow.
 */
public interface ResponseObserver {

    void observe(ApiRequest request, ApiResponse response);
}
