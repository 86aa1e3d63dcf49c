package io.mphub.provider.wechat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** WeChat's value rules per key type (订阅消息参数值内容限制说明). */
class ValueRulesTest {

    @Test
    void thingOfAtMost20CharactersIsKept() throws Exception {
        assertThat(ValueRules.apply("thing2", "顺丰速运")).isEqualTo("顺丰速运");
        assertThat(ValueRules.apply("thing2", "a".repeat(20))).isEqualTo("a".repeat(20));
    }

    @Test
    void longerThingIsCutTo19CharactersAndAnEllipsisCountingCharactersNotBytes() throws Exception {
        String chinese = "快件已到达【北京顺义集散中心】，正在发往下一站，请耐心等待";
        String cut = ValueRules.apply("thing12", chinese);
        assertThat(cut.codePointCount(0, cut.length())).isEqualTo(20);
        assertThat(cut).isEqualTo(chinese.substring(0, 19) + "…");
        // A character outside the BMP counts once and is never split in half.
        String emoji = "📦".repeat(25);
        String cutEmoji = ValueRules.apply("thing1", emoji);
        assertThat(cutEmoji).isEqualTo("📦".repeat(19) + "…");
    }

    @Test
    void thingLosesControlCharacters() throws Exception {
        assertThat(ValueRules.apply("thing1", "line one\nline two\t")).isEqualTo("line one line two");
    }

    @Test
    void rfc3339TimeIsWrittenInBeijingTime() throws Exception {
        assertThat(ValueRules.apply("time4", "2026-03-01T16:30:05Z")).isEqualTo("2026-03-02 00:30");
        assertThat(ValueRules.apply("date2", "2026-03-01T16:30:05.123+00:00")).isEqualTo("2026-03-02");
    }

    @ParameterizedTest
    @CsvSource({"time3, 15:01", "time3, 2019年10月1日 15:01", "time3, 2025-11-24 10:00:00", "time3, 15:01 ~ 16:00",
            "date1, 2019-10-01", "date1, 2019年10月1日", "date1, 2018/01/01 15:01", "date1, 01-01"})
    void timesAndDatesInWeChatsFormatsPass(String key, String value) throws Exception {
        assertThat(ValueRules.apply(key, value)).isEqualTo(value);
    }

    @ParameterizedTest
    @CsvSource({"time3, tomorrow", "date1, soon", "time3, 2026-13-01T00:00:00"})
    void timeThatIsNoTimeFails(String key, String value) {
        assertThat(catchThrowableOfType(ValueRules.ValueRuleException.class, () -> ValueRules.apply(key, value)))
                .hasMessageStartingWith(key + " must be");
    }

    @ParameterizedTest
    @CsvSource({"character_string1, SF1234567890", "character_string1, ORDER-2026_03|01*x", "number1, 12.50",
            "letter1, abc", "symbol1, ★★", "amount1, ¥19.99", "amount1, 100元", "phone_number1, +86-0766-66888866",
            "car_number1, 粤A8Z888挂", "name1, 王小明", "name1, Wang Xiaoming", "phrase1, 配送中", "enum_string1, anything"})
    void valuesWithinTheirRulePassUnchanged(String key, String value) throws Exception {
        assertThat(ValueRules.apply(key, value)).isEqualTo(value);
    }

    @ParameterizedTest
    @CsvSource({"character_string1, 123456789012345678901234567890123", "character_string1, 订单123",
            "character_string1, has space", "number1, 12a", "letter1, abc1", "amount1, 19.99 dollars",
            "phone_number1, call 138", "phone_number1, 123456789012345678", "car_number1, 粤A8Z888挂X",
            "name1, 欧阳上官司马诸葛东方氏", "phrase1, 正在配送中了", "phrase1, on way", "symbol1, ******"})
    void valuesBreakingAStrictRuleFailForGoodWithoutShowingTheValue(String key, String value) {
        ValueRules.ValueRuleException e = catchThrowableOfType(ValueRules.ValueRuleException.class,
                () -> ValueRules.apply(key, value));
        assertThat(e).hasMessageStartingWith(key + " must be");
        assertThat(e.getMessage()).doesNotContain(value);
    }

    @Test
    void emptyValueFailsWhateverTheKey() {
        assertThat(catchThrowableOfType(ValueRules.ValueRuleException.class, () -> ValueRules.apply("thing1", " ")))
                .hasMessageContaining("empty");
    }

    @Test
    void prefixIsTheKeyWithoutItsNumber() {
        assertThat(ValueRules.prefix("character_string12")).isEqualTo("character_string");
        assertThat(ValueRules.prefix("thing1")).isEqualTo("thing");
    }
}
