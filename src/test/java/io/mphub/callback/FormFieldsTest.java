package io.mphub.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FormFieldsTest {

    @Test
    void decodesUtf8PercentEscapesAndPlus() {
        FormFields form = FormFields.parse("param=%7B%22a%22%3A%22%E7%AD%BE+%E6%94%B6%22%7D&sign=ABC");

        assertThat(form.get("param")).contains("{\"a\":\"签 收\"}");
        assertThat(form.get("sign")).contains("ABC");
    }

    @Test
    void missingAndBlankFieldsAreAbsent() {
        FormFields form = FormFields.parse("a=&b");

        assertThat(form.get("a")).isEmpty();
        assertThat(form.get("b")).isEmpty();
        assertThat(form.get("c")).isEmpty();
        assertThat(FormFields.parse(null).get("a")).isEmpty();
    }

    @Test
    void refusesAFieldSentTwice() {
        assertThatThrownBy(() -> FormFields.parse("appId=wx1&appId=wx2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesABrokenEscape() {
        assertThatThrownBy(() -> FormFields.parse("param=%E7%A")).isInstanceOf(IllegalArgumentException.class);
    }
}
