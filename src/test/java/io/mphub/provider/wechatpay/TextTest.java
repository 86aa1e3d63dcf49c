package io.mphub.provider.wechatpay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void shortTextsAreUnchanged() {
        assertThat(Text.truncateCodePoints("乌龙茶", 127)).isEqualTo("乌龙茶");
        assertThat(Text.truncateUtf8Bytes("乌龙茶", 128)).isEqualTo("乌龙茶");
    }

    @Test
    void codesKeepLettersDigitsAndUnderscoresUpTo64Characters() {
        assertThat(Text.code("ORDER_CLOSED")).isEqualTo("ORDER_CLOSED");
        assertThat(Text.code("BAD code\r\n<b>\"x\"</b>=错误")).isEqualTo("BADcodebxb");
        assertThat(Text.code("A".repeat(65) + "B")).isEqualTo("A".repeat(64));
    }

    @Test
    void codePointsCountEmojiAsOne() {
        assertThat(Text.truncateCodePoints("🍵🍵🍵", 2)).isEqualTo("🍵🍵");
    }

    @Test
    void utf8CutNeverSplitsACharacter() {
        // 42 Chinese characters are 126 bytes; the 43rd would make 129
        String text = "茶".repeat(50);

        String cut = Text.truncateUtf8Bytes(text, 128);

        assertThat(cut).isEqualTo("茶".repeat(42));
        assertThat(cut.getBytes(UTF_8).length).isEqualTo(126);
        assertThat(Text.truncateUtf8Bytes("ab🍵", 5)).isEqualTo("ab");
    }
}
