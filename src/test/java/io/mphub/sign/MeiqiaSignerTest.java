package io.mphub.sign;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MeiqiaSignerTest {

    // the vector published by Meiqia
    private static final String SECRET = "$2a$12$skg8Mk3UJ3ylnmciryxCQ.IyjKTqi2ujRYwH0ak/BMXYiFBacZbx6";
    private static final String BODY = "美洽，在线客服软件的漂亮之选";
    private static final String AUTHORIZATION = "meiqia_sign:YTgyMmFkMDY5OWJjYzI1ODRkNjBhNzAyMTdlY2M4YjU2NDNiYjhkZA==";

    private final MeiqiaSigner meiqia = new MeiqiaSigner(SECRET);

    @Test
    void authorizationMatchesPublishedVector() {
        assertThat(meiqia.authorization(BODY)).isEqualTo(AUTHORIZATION);
    }

    @Test
    void acceptsPublishedAuthorization() {
        assertThat(meiqia.verify(AUTHORIZATION, BODY)).isEqualTo(Verdict.VALID);
    }

    @Test
    void rejectsTamperedBodyAndOtherSecret() {
        assertThat(meiqia.verify(AUTHORIZATION, BODY + " ")).isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(new MeiqiaSigner("another-secret").verify(AUTHORIZATION, BODY)).isEqualTo(Verdict.BAD_SIGNATURE);
    }

    @Test
    void rejectsHeaderWithoutPrefixOrMissing() {
        assertThat(meiqia.verify(AUTHORIZATION.substring("meiqia_sign:".length()), BODY)).isEqualTo(Verdict.MALFORMED);
        assertThat(meiqia.verify(null, BODY)).isEqualTo(Verdict.MISSING_SIGNATURE);
    }
}
