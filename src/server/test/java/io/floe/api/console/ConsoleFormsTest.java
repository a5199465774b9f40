package io.floe.api.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.group.GroupCoordinator;
import io.floe.group.ManagedMemberSpec;
import io.floe.log.LogEngine;
import io.floe.model.Message;
import io.floe.model.TopicPartition;
import io.floe.group.CommittedOffset;
import io.floe.group.OffsetCommit;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console's forms validate on the server and show the REST API's error messages inline with
 * the REST API's status; destructive actions need confirmation; a page for a deleted topic or
 * group says so.
 */
@QuarkusTest
class ConsoleFormsTest {

    @Inject
    LogEngine engine;

    @Inject
    GroupCoordinator groups;

    @Test
    void creatingATopicWithABadNameShowsTheEnginesMessageInlineWithTheRestStatus() {
        Response r = given().redirects().follow(false).formParam("name", "bad name!").formParam("partitions", "2")
                .post("/ui/topics");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.asString()).contains("id=\"create-error\"").contains("bad name!");
        Response rest = given().contentType("application/json").body("{\"topic_name\":\"bad name!\",\"partitions_count\":2}")
                .post("/v3/clusters/" + engine.clusterId() + "/topics");
        assertThat(rest.statusCode()).isEqualTo(422);
        String message = rest.jsonPath().getString("message");
        assertThat(r.asString()).contains(escape(message));
    }

    @Test
    void creatingAnExistingTopicIsAConflictShownInline() {
        engine.createTopic("forms-existing", 1, Map.of());
        Response r = given().redirects().follow(false).formParam("name", "forms-existing").post("/ui/topics");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.asString()).contains("id=\"create-error\"");
    }

    @Test
    void deletingATopicNeedsItsNameTypedAndThenTheTopicPageSaysItIsGone() {
        engine.createTopic("forms-doomed", 1, Map.of());
        Response refused = given().redirects().follow(false).formParam("confirm", "yes").post("/ui/topics/forms-doomed/delete");
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.asString()).contains("Type the topic").contains("forms-doomed");
        assertThat(engine.listTopics()).anyMatch(t -> t.name().equals("forms-doomed"));

        Response deleted = given().redirects().follow(false).formParam("confirm", "forms-doomed")
                .post("/ui/topics/forms-doomed/delete");
        assertThat(deleted.statusCode()).isEqualTo(303);
        Response gone = given().get("/ui/topics/forms-doomed");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.asString()).contains("id=\"gone\"").contains("does not exist");
        assertThat(given().get("/ui/topics/forms-doomed/records").statusCode()).isEqualTo(404);
    }

    @Test
    void loweringThePartitionCountIsRefusedWithTheEnginesMessage() {
        engine.createTopic("forms-three", 3, Map.of());
        Response r = given().redirects().follow(false).formParam("count", "2").post("/ui/topics/forms-three/partitions");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.asString()).contains("can only be increased");
        assertThat(engine.topic("forms-three").partitions()).isEqualTo(3);
    }

    @Test
    void anUnknownConfigIsRefusedInline() {
        engine.createTopic("forms-configs", 1, Map.of());
        Response r = given().redirects().follow(false).formParam("config", "no.such.config").formParam("value", "1")
                .formParam("action", "set").post("/ui/topics/forms-configs/configs");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.asString()).contains("id=\"form-error\"").contains("no.such.config");
    }

    @Test
    void browsingBeforeTheLogStartShowsTheValidRange() {
        engine.createTopic("forms-browse", 1, Map.of());
        engine.produce("forms-browse", List.of(Message.of(null, "x".getBytes(StandardCharsets.UTF_8)))).join();
        Response r = given().get("/ui/topics/forms-browse/records?partition=0&offset=5");
        assertThat(r.statusCode()).isEqualTo(416);
        assertThat(r.asString()).contains("id=\"browse-error\"");
        Response bad = given().get("/ui/topics/forms-browse/records?partition=0&timestamp=yesterday");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.asString()).contains("UTC date and time");
    }

    @Test
    void resettingAGroupWithActiveMembersIsRefusedAsInKafka() {
        engine.createTopic("forms-live", 1, Map.of());
        groups.createMember("forms-live-group", new ManagedMemberSpec("m1", "console-test", "", Duration.ofMinutes(1),
                "range", null, false, Map.of()));
        Response r = given().redirects().follow(false).formParam("to", "earliest").formParam("confirm", "yes")
                .post("/ui/groups/forms-live-group/reset");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.asString()).contains("id=\"reset-error\"").contains("only when the group is empty");
    }

    @Test
    void resettingAnEmptyGroupNeedsConfirmation() {
        engine.createTopic("forms-idle", 1, Map.of());
        engine.produce("forms-idle", List.of(Message.of(null, "x".getBytes(StandardCharsets.UTF_8)))).join();
        groups.commit(new OffsetCommit("forms-idle-group", "", null, -1,
                Map.of(new TopicPartition("forms-idle", 0), new CommittedOffset(1, -1, "", 0)), OffsetCommit.Durability.SYNC));
        Response r = given().redirects().follow(false).formParam("to", "earliest").post("/ui/groups/forms-idle-group/reset");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.asString()).contains("Tick the box to confirm");
        assertThat(groups.committed("forms-idle-group", null).values()).allMatch(o -> o.offset() == 1);
    }

    @Test
    void aGroupIdWithSpacesSlashesQuestionMarksHashesAndPercentsLinksToItsOwnPageAndResetForm() {
        String id = "forms odd/group?x=1#frag%41&b+c";
        engine.createTopic("forms-odd", 1, Map.of());
        engine.produce("forms-odd", List.of(Message.of(null, "x".getBytes(StandardCharsets.UTF_8)))).join();
        groups.commit(new OffsetCommit(id, "", null, -1,
                Map.of(new TopicPartition("forms-odd", 0), new CommittedOffset(1, -1, "", 0)), OffsetCommit.Durability.SYNC));

        // The list (paged from the group's own name, itself a link) links to the group by an encoded path.
        String list = given().urlEncodingEnabled(false).get("/ui/groups?from=" + Urls.url("forms odd")).asString();
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("href=\"(/ui/groups/forms[^\"]*)\"").matcher(list);
        assertThat(link.find()).as("a link to the group in %s", list).isTrue();
        String href = link.group(1);
        assertThat(href).doesNotContain(" ", "?", "#").isEqualTo("/ui/groups/forms%20odd%2Fgroup%3Fx%3D1%23frag%2541%26b%2Bc");

        // Following the link as a browser would, without re-encoding, opens this group's page.
        Response page = given().urlEncodingEnabled(false).get(href);
        assertThat(page.statusCode()).as(page.asString()).isEqualTo(200);
        assertThat(page.asString()).contains(escape(id)).contains("forms-odd");

        // Its reset form posts to this group, and the redirect after it lands on this group again.
        java.util.regex.Matcher action = java.util.regex.Pattern.compile("action=\"([^\"]*/reset)\"").matcher(page.asString());
        assertThat(action.find()).isTrue();
        assertThat(action.group(1)).isEqualTo(href + "/reset");
        Response reset = given().urlEncodingEnabled(false).redirects().follow(false).formParam("to", "earliest")
                .formParam("confirm", "yes").post(action.group(1));
        assertThat(reset.statusCode()).as(reset.asString()).isEqualTo(303);
        assertThat(reset.header("Location")).endsWith(href);
        assertThat(groups.committed(id, null).values()).allMatch(o -> o.offset() == 0);
    }

    @Test
    void anUnknownGroupPageSaysItDoesNotExist() {
        Response r = given().get("/ui/groups/forms-never-was");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.asString()).contains("id=\"gone\"").contains("forms-never-was");
    }

    @Test
    void assetsAreServedFromFloeAndNothingElseIs() {
        assertThat(given().get("/ui/assets/htmx.min.js").statusCode()).isEqualTo(200);
        assertThat(given().get("/ui/assets/uPlot.iife.min.js").statusCode()).isEqualTo(200);
        assertThat(given().get("/ui/assets/..%2Fapplication.properties").statusCode()).isEqualTo(404);
        assertThat(given().get("/ui/assets/application.properties").statusCode()).isEqualTo(404);
    }

    /** Qute escapes HTML in text: compare against the escaped message. */
    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
