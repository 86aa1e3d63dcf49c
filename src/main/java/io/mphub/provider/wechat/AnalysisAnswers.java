package io.mphub.provider.wechat;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What an answer of a datacube API means for the analysis job, all in one place. WeChat answers HTTP 200: the figures
 * (an object without {@code errcode}, or with {@code errcode} 0), or an {@code errcode}:
 * <ul>
 * <li>40001, 40014, 42001: the access token is invalid or expired: renew it and ask once more;</li>
 * <li>61501 (date range error): WeChat will not serve that day: skipped for good (not asked again);</li>
 * <li>45009 (the API's daily quota is spent): asked again at the next run;</li>
 * <li>any other (-1 busy, 45011 minute quota, 48001 not authorised, 61500 date format, …): asked again at the next
 * run, and logged once.</li>
 * </ul>
 * No answer (the network, an HTTP status other than 200, a body that is not a JSON object): asked again at the next
 * run.
 */
final class AnalysisAnswers {

    /** WeChat: date range error (the day is outside what the API serves). */
    static final int DATE_RANGE = 61501;
    /** WeChat: the API's daily quota is spent; it resets at midnight Beijing time. */
    static final int DAILY_QUOTA = 45009;

    enum Meaning {
        /** The day's figures: published, and the day marked pulled. */
        FIGURES,
        /** 40001/40014/42001: renew the token and ask once more. */
        TOKEN_INVALID,
        /** 61501: the day is skipped for good, marked so that it is not asked again. */
        DATE_REFUSED,
        /** 45009: the day is asked again at the next run. */
        QUOTA,
        /** Any other errcode: asked again at the next run. */
        REFUSED,
        /** No usable answer: asked again at the next run. */
        UNAVAILABLE
    }

    /**
     * @param figures the answer without {@code errcode}/{@code errmsg}, when {@link Meaning#FIGURES}
     * @param said    what WeChat or the network said, for logs (never a token)
     */
    record Answer(Meaning meaning, int errcode, String said, ObjectNode figures) {

        /** The outcome in the metric {@code mphub.wechat.analysis.pulls}. */
        String outcome() {
            return switch (meaning) {
                case FIGURES -> "ok";
                case TOKEN_INVALID -> "token_invalid";
                case DATE_REFUSED -> "date_refused";
                case QUOTA -> "quota";
                case REFUSED -> "errcode_" + errcode;
                case UNAVAILABLE -> "unavailable";
            };
        }

        /** Whether the day is done with: published, or refused for good. */
        boolean marksDay() {
            return meaning == Meaning.FIGURES || meaning == Meaning.DATE_REFUSED;
        }
    }

    private AnalysisAnswers() {
    }

    static Answer classify(int status, byte[] body, ObjectMapper mapper) {
        if (status != 200) {
            return unavailable("HTTP " + status);
        }
        JsonNode answer;
        try {
            answer = mapper.readTree(body);
        } catch (IOException e) {
            return unavailable("an answer that is not JSON");
        }
        if (!(answer instanceof ObjectNode object)) {
            return unavailable("an answer that is not a JSON object");
        }
        int errcode = object.path("errcode").asInt(0);
        String errmsg = object.path("errmsg").asText("");
        String said = "errcode " + errcode + (errmsg.isEmpty() ? "" : " (" + errmsg + ")");
        if (errcode == 0) {
            ObjectNode figures = object.deepCopy();
            figures.remove("errcode");
            figures.remove("errmsg");
            return new Answer(Meaning.FIGURES, 0, "ok", figures);
        }
        Meaning meaning = WeChatAnswers.invalidToken(errcode) ? Meaning.TOKEN_INVALID
                : errcode == DATE_RANGE ? Meaning.DATE_REFUSED
                : errcode == DAILY_QUOTA ? Meaning.QUOTA
                : Meaning.REFUSED;
        return new Answer(meaning, errcode, said, null);
    }

    /** No answer: the class of the failure only (its message can quote the URL, and the URL carries the token). */
    static Answer unreachable(IOException e) {
        return unavailable(e.getClass().getSimpleName());
    }

    private static Answer unavailable(String what) {
        return new Answer(Meaning.UNAVAILABLE, 0, what, null);
    }
}
