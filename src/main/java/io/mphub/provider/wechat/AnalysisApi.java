package io.mphub.provider.wechat;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * The data analysis APIs (datacube) the analysis job pulls, one day per call:
 * {@code POST <mphub.wechat.api-url>/datacube/<api>?access_token=…} with {@code {"begin_date", "end_date"}} as
 * {@code yyyymmdd}. Names, paths and fields as WeChat documents them (developers.weixin.qq.com, 小程序 → 服务端 API →
 * 数据分析) and as WxJava's {@code WxMaAnalysisService} calls them.
 */
public enum AnalysisApi {

    /** 概况趋势: {@code list [{ref_date, visit_total, share_pv, share_uv}]}. */
    DAILY_SUMMARY("daily_summary", "getweanalysisappiddailysummarytrend"),
    /** 日访问趋势: {@code list [{ref_date, session_cnt, visit_pv, visit_uv, visit_uv_new, stay_time_uv, …}]}. */
    DAILY_VISIT_TREND("daily_visit_trend", "getweanalysisappiddailyvisittrend"),
    /** 日留存: {@code ref_date, visit_uv_new [{key, value}], visit_uv [{key, value}]}. */
    DAILY_RETENTION("daily_retention", "getweanalysisappiddailyretaininfo"),
    /** 访问分布: {@code ref_date, list [{index, item_list [{key, value}]}]}. */
    VISIT_DISTRIBUTION("visit_distribution", "getweanalysisappidvisitdistribution"),
    /** 访问页面 (the top 200 pages by page_visit_pv): {@code ref_date, list [{page_path, page_visit_pv, …}]}. */
    VISIT_PAGE("visit_page", "getweanalysisappidvisitpage"),
    /**
     * 用户画像: {@code ref_date, visit_uv_new {province, city, genders, platforms, devices, ages}, visit_uv {…}}. WeChat
     * takes ranges of 1, 7 or 30 days (begin and end 0, 6 or 29 days apart); the job asks for one day.
     */
    USER_PORTRAIT("user_portrait", "getweanalysisappiduserportrait");

    /** WeChat's date format in requests and in {@code ref_date}. */
    static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;

    private final String name;
    private final String api;

    AnalysisApi(String name, String api) {
        this.name = name;
        this.api = api;
    }

    /** The name in event types, ids, progress keys and metrics: {@code daily_summary}, … */
    public String title() {
        return name;
    }

    /** WeChat's name of the API: {@code getweanalysisappiddailysummarytrend}, … */
    public String api() {
        return api;
    }

    public String path() {
        return "/datacube/" + api;
    }

    /** The CloudEvents type of its answers: {@code mp.analysis.daily_summary}, … */
    public String eventType() {
        return "mp.analysis." + name;
    }

    /**
     * The event id of one app's answer for one day: the same on every run and replica, so that a day pulled twice
     * (two replicas at once, a crash between the pull and the commit) reaches consumers with one id, which they drop.
     */
    public String eventId(String appId, LocalDate day) {
        return "wxanalysis-" + appId + "-" + name + "-" + YYYYMMDD.format(day);
    }

    /** The key of this API's progress for one app in the jobs' topic: {@code datacube/<appId>/<name>}. */
    public String progressKey(String appId) {
        return AnalysisJob.JOB + "/" + appId + "/" + name;
    }
}
