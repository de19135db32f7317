package com.streamloom.control;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/** The catalog the dashboard's pipeline editor builds its forms from, and the dashboard's own files. */
@QuarkusTest
class StageTypesAndDashboardTest {

    @Test
    void stageTypesListEveryCatalogTypeWithParametersForTheAdminOnly() {
        var body = Api.admin().get("/api/v1/stage-types").then().statusCode(200).extract().jsonPath();
        assertThat(body.getList("type", String.class)).contains("grayscale", "gaussian-blur", "face-blur", "text",
                "captions", "ffmpeg");
        assertThat(body.getList("find { it.type == 'gaussian-blur' }.params.name", String.class))
                .containsExactly("kernel", "sigma");
        RestAssured.given().get("/api/v1/stage-types").then().statusCode(401);
        Api.node(Api.unique("n")).get("/api/v1/stage-types").then().statusCode(403);
        Api.join().get("/api/v1/stage-types").then().statusCode(403);
    }

    @Test
    void dashboardAndItsBuildTimeAssetsAreServedWithoutAToken() {
        RestAssured.given().get("/").then().statusCode(200).body(containsString("StreamLoom dashboard"));
        RestAssured.given().get("/dashboard.js").then().statusCode(200);
        // The page links its icon, so browsers do not ask for a missing /favicon.ico on every load.
        RestAssured.given().get("/").then().body(containsString("href=\"favicon.svg\""));
        RestAssured.given().get("/favicon.svg").then().statusCode(200).contentType(containsString("svg"));
        // hls.js and uPlot come from the npm registry at build time and are packaged with the app
        RestAssured.given().get("/vendor/hls.min.js").then().statusCode(200);
        RestAssured.given().get("/vendor/uPlot.iife.min.js").then().statusCode(200);
    }

    @Test
    void theStreamListShowsEachPublicStreamsThumbnailFromItsNode() {
        RestAssured.given().get("/").then().body(containsString("<th>Picture</th><th>Name</th>"));
        // the node's thumbnail.jpg beside the playlist, fetched again every few seconds; signed streams show none
        RestAssured.given().get("/dashboard.js").then()
                .body(containsString("s.playbackUrl.replace(/\\/index\\.m3u8$/, '/thumbnail.jpg?width=160')"))
                .body(containsString("s.spec.output.playback === 'signed'"))
                .body(containsString("setInterval(refreshThumbnails, THUMBNAIL_REFRESH_MS)"));
    }
}
