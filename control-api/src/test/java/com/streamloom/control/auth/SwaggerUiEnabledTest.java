package com.streamloom.control.auth;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.hamcrest.Matchers.containsString;

/** The setting quarkus.swagger-ui.enabled turns Swagger UI on (it is off by default). */
@QuarkusTest
@TestProfile(SwaggerUiEnabledTest.Enabled.class)
class SwaggerUiEnabledTest {
    public static class Enabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.swagger-ui.enabled", "true");
        }
    }

    @Test
    void swaggerUiIsServedWhenTurnedOn() {
        RestAssured.given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }
}
