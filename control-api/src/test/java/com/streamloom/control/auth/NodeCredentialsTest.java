package com.streamloom.control.auth;

import com.streamloom.control.Api;
import com.streamloom.control.service.StreamKeys;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.streamloom.control.Api.admin;
import static com.streamloom.control.Api.heartbeat;
import static com.streamloom.control.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

/** Each node's credential speaks only for the node id it was issued to, and revoking one node locks out only it. */
@QuarkusTest
class NodeCredentialsTest {
    @Inject
    AgroalDataSource dataSource;

    @Test
    void aNodeCredentialCannotHeartbeatOrCheckPublishesAsAnotherNode() {
        String a = unique("cred-a");
        String b = unique("cred-b");
        String credentialA = Api.credential(a);
        assertThat(credentialA).matches("sln1_[A-Za-z0-9_-]{43}");
        assertThat(Api.credential(b)).isNotEqualTo(credentialA);

        as(credentialA).body(heartbeat(a, "EDGE", 19_301, 1e12)).post("/api/v1/nodes/" + a + "/heartbeat")
                .then().statusCode(200);
        as(credentialA).body(heartbeat(b, "EDGE", 19_302, 1e12)).post("/api/v1/nodes/" + b + "/heartbeat")
                .then().statusCode(403).body("error", containsString("another node id"));
        as(credentialA).body(Map.of("app", "live", "streamKey", "some-key")).post("/api/v1/nodes/" + b
                + "/publish-check").then().statusCode(403);
        // b is untouched: its own credential still heartbeats
        Api.node(b).body(heartbeat(b, "EDGE", 19_302, 1e12)).post("/api/v1/nodes/" + b + "/heartbeat")
                .then().statusCode(200);
        // a node credential cannot enrol or read anything else
        as(credentialA).post("/api/v1/nodes/" + a + "/enrol").then().statusCode(403);
        as(credentialA).get("/api/v1/nodes/" + a).then().statusCode(403);
    }

    @Test
    void theJoinTokenOnlyEnrols() {
        String n = unique("joiner");
        Api.join().body(heartbeat(n, "EDGE", 19_311, 1e12)).post("/api/v1/nodes/" + n + "/heartbeat")
                .then().statusCode(403).body("error", containsString("only enrol"));
        Api.join().body(Map.of("app", "live", "streamKey", "k")).post("/api/v1/nodes/" + n + "/publish-check")
                .then().statusCode(403);
        Api.join().delete("/api/v1/nodes/" + n + "/credential").then().statusCode(403);
        Api.join().post("/api/v1/nodes/" + n + "/enrol").then().statusCode(200)
                .header("Cache-Control", "no-store").body("nodeId", equalTo(n))
                .body("credential", matchesPattern("sln1_[A-Za-z0-9_-]{43}"));
        Api.join().post("/api/v1/nodes/-leading-dash/enrol").then().statusCode(400).body("field", equalTo("nodeId"));
        RestAssured.given().post("/api/v1/nodes/" + n + "/enrol").then().statusCode(401);
    }

    @Test
    void revokingOneNodeLocksOutThatNodeOnlyUntilAnAdminClearsIt() {
        String revoked = unique("revoked");
        String other = unique("other");
        String old = Api.credential(revoked);
        Api.beat(revoked, "EDGE", 19_321, 1e12);
        Api.beat(other, "EDGE", 19_322, 1e12);

        admin().delete("/api/v1/nodes/" + revoked + "/credential").then().statusCode(204);
        as(old).body(heartbeat(revoked, "EDGE", 19_321, 1e12)).post("/api/v1/nodes/" + revoked + "/heartbeat")
                .then().statusCode(401);
        Api.beat(other, "EDGE", 19_322, 1e12);
        // the join token cannot bring it back: re-enrolment is refused while it is revoked
        Api.join().post("/api/v1/nodes/" + revoked + "/enrol").then().statusCode(403)
                .body("error", containsString("revoked"));

        admin().delete("/api/v1/nodes/" + revoked + "/revocation").then().statusCode(204);
        admin().delete("/api/v1/nodes/" + revoked + "/revocation").then().statusCode(404);
        String fresh = Api.enrol(revoked);
        as(fresh).body(heartbeat(revoked, "EDGE", 19_321, 1e12)).post("/api/v1/nodes/" + revoked + "/heartbeat")
                .then().statusCode(200);
        as(old).body(heartbeat(revoked, "EDGE", 19_321, 1e12)).post("/api/v1/nodes/" + revoked + "/heartbeat")
                .then().statusCode(401);
    }

    @Test
    void enrollingAgainReplacesTheCredential() {
        String n = unique("again");
        String first = Api.enrol(n);
        String second = Api.enrol(n);
        as(first).body(heartbeat(n, "EDGE", 19_331, 1e12)).post("/api/v1/nodes/" + n + "/heartbeat")
                .then().statusCode(401);
        as(second).body(heartbeat(n, "EDGE", 19_331, 1e12)).post("/api/v1/nodes/" + n + "/heartbeat")
                .then().statusCode(200);
    }

    @Test
    void onlyTheCredentialsHashIsStoredAndOneIssuedByAnotherReplicaIsFound() throws Exception {
        String n = unique("stored");
        String credential = Api.credential(n);
        List<String> row = row("select node_id, secret_sha256, issued_at, revoked_at from node_credentials "
                + "where node_id = ?", n);
        assertThat(row).containsExactly(n, StreamKeys.hash(credential), row.get(2), null);
        assertThat(String.join("|", row)).doesNotContain(credential.substring(5));

        // Another replica enrolled this node: the row is in the database but not in this replica's memory.
        String elsewhere = unique("elsewhere");
        String issuedThere = "sln1_" + "Qw3-Er5_Ty7uIo9pAs2dFg4hJk6lZx8cVb1nMq3wE5r";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "insert into node_credentials (node_id, secret_sha256, issued_at) values (?, ?, 0)")) {
            s.setString(1, elsewhere);
            s.setString(2, StreamKeys.hash(issuedThere));
            s.executeUpdate();
        }
        as(issuedThere).body(heartbeat(elsewhere, "EDGE", 19_341, 1e12)).post("/api/v1/nodes/" + elsewhere
                + "/heartbeat").then().statusCode(200);
    }

    @Test
    void noAnswerToPeopleCarriesANodeCredentialOrTheJoinToken() {
        String n = unique("quiet");
        String credential = Api.credential(n);
        Api.beat(n, "EDGE", 19_351, 1e12);
        for (String path : List.of("/api/v1/nodes", "/api/v1/nodes/" + n, "/api/v1/streams", "/api/v1/compositions")) {
            assertThat(admin().get(path).then().statusCode(200).extract().asString()).as(path)
                    .doesNotContain(credential).doesNotContain(Api.JOIN_TOKEN).doesNotContain("sln1_");
        }
    }

    private static io.restassured.specification.RequestSpecification as(String token) {
        return RestAssured.given().contentType(io.restassured.http.ContentType.JSON)
                .header("Authorization", "Bearer " + token);
    }

    private List<String> row(String sql, String id) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                List<String> out = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    out.add(rs.getString(i));
                }
                return out;
            }
        }
    }
}
