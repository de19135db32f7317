package com.streamloom.control.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.control.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No spelling of any API operation's path reaches it without the credential it needs: every operation in the
 * OpenAPI document, in every spelling a router might read as the same path, is 401 without a token, 403 with a
 * token of the wrong role and neither with the right one. Requests go over a raw socket, so no client library
 * normalises the spelling on the way.
 */
@QuarkusTest
class DenyByDefaultTest {
    /**
     * The node whose heartbeat and publish-check the walk calls with its credential. Digits only, so the upper-cased
     * spelling still names this node: a credential speaks for its node id spelled exactly.
     */
    private static final String NODE_ID = "4242";
    /** The node the walk enrols (again and again) with the join token. */
    private static final String ENROLLED_ID = "4243";
    /** The node the admin operations name (the walk revokes it). */
    private static final String ADMIN_ID = "4244";
    /** Another node, whose credential is a wrong one everywhere. */
    private static final String OTHER_ID = "4245";

    record Operation(String method, String path) {
        boolean isNodeCall() {
            return BearerAuth.NODE_CALLS.matcher(path).matches();
        }

        boolean isEnrol() {
            return BearerAuth.ENROL.matcher(path).matches();
        }
    }

    @Test
    void everyOperationInEverySpellingNeedsItsCredential() throws IOException {
        List<Operation> operations = operations();
        assertThat(operations).extracting(Operation::path)
                .contains("/api/v1/streams", "/api/v1/streams/walk-id", "/api/v1/nodes/" + NODE_ID + "/heartbeat",
                        "/api/v1/nodes/" + ENROLLED_ID + "/enrol", "/api/v1/nodes/" + ADMIN_ID + "/credential");
        String nodeCredential = Api.credential(NODE_ID);
        String otherNode = Api.credential(OTHER_ID);
        roles = Map.of(Api.ADMIN_TOKEN, "admin", Api.JOIN_TOKEN, "join", Api.METRICS_TOKEN, "metrics",
                nodeCredential, "node " + NODE_ID, otherNode, "node " + OTHER_ID);
        List<String> failures = new ArrayList<>();
        int requests = 0;
        for (Operation op : operations) {
            String right = op.isNodeCall() ? nodeCredential : op.isEnrol() ? Api.JOIN_TOKEN : Api.ADMIN_TOKEN;
            List<String> wrong = op.isNodeCall() ? List.of(Api.METRICS_TOKEN, Api.JOIN_TOKEN, otherNode, Api.ADMIN_TOKEN)
                    : op.isEnrol() ? List.of(Api.METRICS_TOKEN, otherNode, Api.ADMIN_TOKEN)
                    : List.of(Api.JOIN_TOKEN, otherNode, Api.METRICS_TOKEN);
            for (String spelling : spellings(op.path())) {
                requests += 3;
                expect(failures, op, spelling, null, status -> status == 401, "401");
                for (String token : wrong) {
                    expect(failures, op, spelling, token, status -> status == 403, "403");
                }
                expect(failures, op, spelling, right, status -> status != 401 && status != 403, "not 401/403");
            }
        }
        assertThat(failures).as("of %d requests", requests).isEmpty();
    }

    @Test
    void pathsNoRouteServesAreDeniedToo() throws IOException {
        for (String path : List.of("/nothing-here", "/api", "/api/v2/streams", "/q/dev-ui", "/q/metrics",
                "/q/health/../../api/v1/streams", "/q/health/%2e%2e/%2e%2e/api/v1/streams", "/vendor/../api/v1/streams",
                "/index.html;/../api/v1/streams")) {
            assertThat(status("GET", path, null)).as(path).isEqualTo(401);
        }
        // Writes are never public, not even to a public file's path.
        assertThat(status("POST", "/index.html", null)).isEqualTo(401);
        assertThat(status("DELETE", "/q/health", null)).isEqualTo(401);
    }

    @Test
    void theAllowlistIsServedWithoutATokenOnlyWhenSpelledPlainly() throws IOException {
        for (String path : List.of("/", "/index.html", "/dashboard.js", "/vendor/hls.min.js", "/q/health",
                "/q/health/ready", "/q/openapi")) {
            assertThat(status("GET", path, null)).as(path).isEqualTo(200);
        }
        // Another spelling of a public file is refused, not routed.
        assertThat(status("GET", "/q//health", null)).isEqualTo(400);
        assertThat(status("GET", "/q/./health", null)).isEqualTo(400);
        assertThat(status("GET", "/;x/index.html", null)).isEqualTo(400);
        // An unreadable path is a clear 400.
        assertThat(status("GET", "/api/%zz", null)).isEqualTo(400);
    }

    /** Every method and path of the OpenAPI document, path parameters filled in. */
    private static List<Operation> operations() throws IOException {
        String doc = RestAssured.given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().asString();
        JsonNode paths = new ObjectMapper().readTree(doc).get("paths");
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            String template = path.getKey();
            String nodeId = template.endsWith("/heartbeat") || template.endsWith("/publish-check") ? NODE_ID
                    : template.endsWith("/enrol") ? ENROLLED_ID : ADMIN_ID;
            String concrete = template.replace("{nodeId}", nodeId).replaceAll("\\{[^}]+}", "walk-id");
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toUpperCase(Locale.ROOT);
                if (List.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
                    operations.add(new Operation(method, concrete));
                }
            }
        }
        return operations;
    }

    /** The plain path and the spellings a router may read as it: matrix, escapes, //, /./, /../, trailing /, case. */
    static List<String> spellings(String path) {
        String rest = path.substring("/api/v1".length());
        return List.of(path,
                "/api;x/v1" + rest,
                "/api/v1;x" + rest,
                "/api%2Fv1" + rest,
                "/%61pi/v1" + rest,
                "/api//v1" + rest,
                "/api/./v1" + rest,
                "/api/x/../v1" + rest,
                "/api/v1/x/%2e%2e" + rest,
                path + "/",
                path.toUpperCase(Locale.ROOT));
    }

    private void expect(List<String> failures, Operation op, String spelling, String token,
                        java.util.function.IntPredicate ok, String wanted) throws IOException {
        int status = status(op.method(), spelling, token);
        if (!ok.test(status)) {
            failures.add(op.method() + " " + spelling + " with " + (token == null ? "no token" : role(token))
                    + ": " + status + ", wanted " + wanted);
        }
    }

    /** Each token of the walk to the role it names, for failure messages. */
    private Map<String, String> roles = Map.of();

    private String role(String token) {
        return roles.getOrDefault(token, "an unknown token");
    }

    /** One HTTP/1.1 request over a plain socket, the request line exactly as given; the answer's status code. */
    static int status(String method, String rawPath, String token) throws IOException {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder()
                .append(method).append(' ').append(rawPath).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\nConnection: close\r\n");
        if (token != null) {
            request.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        boolean hasBody = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        if (hasBody) {
            request.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        request.append("\r\n");
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (hasBody) {
                out.write(body);
            }
            out.flush();
            String statusLine = readLine(socket.getInputStream());
            assertThat(statusLine).as(method + " " + rawPath).startsWith("HTTP/1.1 ");
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).trim();
    }
}
