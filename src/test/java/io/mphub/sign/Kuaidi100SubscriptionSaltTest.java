package io.mphub.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Kuaidi100SubscriptionSaltTest {

    private static final String MASTER = "k100-master-salt-0123456789abcdef";
    private final Kuaidi100SubscriptionSalt salts = new Kuaidi100SubscriptionSalt(MASTER);

    @Test
    void saltIsTheFirst32HexDigitsOfHmacSha256OfTheContextLines() {
        // computed independently: python3 hmac.new(master, "\n".join(context), sha256).hexdigest()[:32]
        assertThat(salts.derive("wx1234567890abcdef", "oUser1", "ORDER20261124001", "SF1234567890"))
                .isEqualTo("8cbb73179f82d8d42b680361fb565355");
    }

    @Test
    void anyChangeOfContextOrMasterGivesAnotherSalt() {
        String salt = salts.derive("wx1234567890abcdef", "oUser1", "ORDER20261124001", "SF1234567890");

        assertThat(salts.derive("wx1234567890abcdef", "oUser2", "ORDER20261124001", "SF1234567890")).isNotEqualTo(salt);
        assertThat(salts.derive("wx1234567890abcdef", "oUser1", "ORDER20261124002", "SF1234567890")).isNotEqualTo(salt);
        assertThat(new Kuaidi100SubscriptionSalt(MASTER + "x")
                .derive("wx1234567890abcdef", "oUser1", "ORDER20261124001", "SF1234567890")).isNotEqualTo(salt);
    }

    @Test
    void refusesAContextPartWithTheSeparator() {
        // "a\nb" + "c" and "a" + "b\nc" would join to the same text
        assertThatThrownBy(() -> salts.derive("a\nb", "c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> salts.derive("a", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pushSignerForASubscriptionVerifiesWithItsSalt() {
        Kuaidi100Signer pushes = new Kuaidi100Signer(salts.derive("a", "b"));
        String param = "{\"status\":\"polling\"}";

        assertThat(pushes.verifyPush(param, pushes.pushSign(param))).isEqualTo(Verdict.VALID);
        assertThat(new Kuaidi100Signer(salts.derive("a", "c")).verifyPush(param, pushes.pushSign(param)))
                .isEqualTo(Verdict.BAD_SIGNATURE);
    }
}
