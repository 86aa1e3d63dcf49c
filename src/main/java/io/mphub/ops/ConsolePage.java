package io.mphub.ops;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.mphub.deliver.DeliveryLog;

/**
 * The console page, rendered on the server: the destinations, ingest, replays and the delivery log. Its script
 * ({@code console.js}) only refreshes the {@code #live} part every few seconds and sends the actions with the token;
 * without script the page still shows everything, and a reload refreshes it.
 */
final class ConsolePage {

    private ConsolePage() {
    }

    static String render(Overview.View view, List<DeliveryLog.Attempt> attempts, Map<String, String> filter,
            List<OperatorActions.ReplayRun> replays, boolean actions, int kept) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>mphub console</title><link rel=\"stylesheet\" href=\"/console.css\"></head><body>\n")
                .append("<header><h1>mphub</h1>");
        if (actions) {
            h.append("<label>Operator token <input id=\"token\" type=\"password\" autocomplete=\"off\"></label>");
        } else {
            h.append("<span class=\"note\">View only: no operator token is set (mphub.console.token).</span>");
        }
        h.append("<output id=\"said\" role=\"status\"></output></header>\n");

        h.append("<main id=\"live\" data-at=\"").append(esc(view.at())).append("\">\n");
        h.append("<p class=\"at\">").append(esc(view.at())).append(" · Kafka ")
                .append(view.kafkaUp() ? "<span class=\"ok\">answers</span>" : "<span class=\"bad\">does not answer</span>")
                .append("</p>\n");
        destinations(h, view.destinations(), actions);
        ingest(h, view.ingest());
        replayList(h, replays);
        h.append("</main>\n");

        if (actions) {
            replayForm(h, view);
        }
        deliveryLog(h, view, attempts, filter, kept);
        h.append("<script src=\"/console.js\"></script></body></html>\n");
        return h.toString();
    }

    private static void destinations(StringBuilder h, List<Overview.DestinationView> destinations, boolean actions) {
        h.append("<section><h2>Destinations</h2><div class=\"scroll\"><table id=\"destinations\"><thead><tr>")
                .append("<th>Destination</th><th>Kind</th><th>State</th><th>Lag</th><th>Delivered/s</th>")
                .append("<th>Delivered</th><th>Retries</th><th>Dead letters</th><th>Last error</th>")
                .append(actions ? "<th></th>" : "").append("</tr></thead><tbody>\n");
        for (Overview.DestinationView d : destinations) {
            h.append("<tr data-destination=\"").append(esc(d.name())).append("\" data-state=\"").append(d.state())
                    .append("\"><th scope=\"row\">").append(esc(d.name())).append("</th><td>").append(esc(d.kind()))
                    .append("</td><td class=\"state ").append(d.state()).append("\">").append(d.state());
            if (d.pause() != null) {
                Overview.PauseView p = d.pause();
                h.append("<small>").append(cause(p.cause())).append(": ").append(esc(p.why())).append("<br>since ")
                        .append(time(p.since()));
                if (p.until() != null) {
                    h.append(", until ").append(time(p.until()));
                } else if (p.nextProbe() != null) {
                    h.append(", next probe ").append(time(p.nextProbe()));
                } else {
                    h.append(", until an operator resumes it");
                }
                h.append("</small>");
            }
            h.append("</td><td class=\"lag num\">").append(number(d.lag())).append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%.1f", d.deliveredPerSecond()))
                    .append("</td><td class=\"delivered num\">").append(d.delivered())
                    .append("</td><td class=\"num\">").append(d.retries())
                    .append("</td><td class=\"dead-letters num\">").append(number(d.deadLetters()))
                    .append("</td><td class=\"last-error\">");
            if (d.lastError() != null) {
                DeliveryLog.Attempt e = d.lastError();
                h.append(esc(e.answer())).append(" <small>").append(esc(e.reason())).append(", ")
                        .append(time(e.at().toString())).append("</small>");
            }
            h.append("</td>");
            if (actions) {
                boolean byHand = d.pause() != null && d.pause().cause().equals("hand");
                h.append("<td>").append(byHand
                        ? "<button data-action=\"resume\" data-destination=\"" + esc(d.name()) + "\">Resume</button>"
                        : "<button data-action=\"pause\" data-destination=\"" + esc(d.name()) + "\">Pause</button>")
                        .append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table></div></section>\n");
    }

    private static void ingest(StringBuilder h, Overview.IngestView i) {
        h.append("<section><h2>Ingest</h2><dl id=\"ingest\"><dt>Accepted/s</dt><dd>")
                .append(String.format(Locale.ROOT, "%.1f", i.eventsPerSecond())).append("</dd><dt>Accepted</dt><dd>")
                .append(i.accepted()).append("</dd><dt>Lag</dt><dd class=\"lag\">").append(number(i.lag()))
                .append("</dd><dt>Dead letters (mp.dlq.ingest)</dt><dd>").append(number(i.deadLetters()))
                .append("</dd><dt>Rejected, by reason</dt><dd>");
        if (i.rejected().values().stream().allMatch(n -> n == 0)) {
            h.append("none");
        }
        i.rejected().forEach((reason, n) -> {
            if (n > 0) {
                h.append("<span class=\"tag\">").append(esc(reason)).append(" ").append(n).append("</span> ");
            }
        });
        h.append("</dd></dl></section>\n");
    }

    private static void replayList(StringBuilder h, List<OperatorActions.ReplayRun> replays) {
        if (replays.isEmpty()) {
            return;
        }
        h.append("<section><h2>Replays</h2><div class=\"scroll\"><table id=\"replays\"><thead><tr><th>Replay</th>")
                .append("<th>Started</th><th>State</th><th>Put back</th><th>Skipped</th></tr></thead><tbody>\n");
        for (OperatorActions.ReplayRun r : replays) {
            h.append("<tr data-replay=\"").append(esc(r.id())).append("\"><td>").append(esc(r.id()))
                    .append(r.dryRun() ? " <small>dry run</small>" : "").append("</td><td>")
                    .append(time(r.startedAt())).append(" <small>").append(esc(r.by())).append("</small></td><td class=\"")
                    .append(r.state()).append("\">").append(r.state()).append(r.error() == null ? ""
                            : " <small>" + esc(r.error()) + "</small>").append("</td><td class=\"num replayed\">")
                    .append(r.report() == null ? "" : r.report().replayedCount()).append("</td><td>")
                    .append(r.report() == null ? "" : esc(r.report().skipped().toString())).append("</td></tr>\n");
        }
        h.append("</tbody></table></div></section>\n");
    }

    private static void replayForm(StringBuilder h, Overview.View view) {
        h.append("<section><h2>Replay dead letters</h2><form id=\"replay\" class=\"row\"><label>From <select")
                .append(" name=\"destination\"><option value=\"\">ingest (mp.dlq.ingest)</option>");
        view.destinations().forEach(d -> h.append("<option>").append(esc(d.name())).append("</option>"));
        h.append("</select></label><label>Reason <input name=\"reason\" placeholder=\"any\"></label>")
                .append("<label>Since <input name=\"since\" placeholder=\"2h, 2026-11-29T08:00Z\"></label>")
                .append("<label>Until <input name=\"until\" placeholder=\"now\"></label>")
                .append("<label><input type=\"checkbox\" name=\"dryRun\"> Dry run</label>")
                .append("<button type=\"submit\">Start replay</button></form></section>\n");
    }

    private static void deliveryLog(StringBuilder h, Overview.View view, List<DeliveryLog.Attempt> attempts,
            Map<String, String> filter, int kept) {
        h.append("<section><h2>Delivery log</h2><p class=\"note\">The last ").append(kept)
                .append(" attempts per destination this replica made; no bodies.</p>")
                .append("<form id=\"filter\" class=\"row\" method=\"get\" action=\"/\"><label>Destination <select")
                .append(" name=\"destination\"><option value=\"\">all</option>");
        view.destinations().forEach(d -> h.append(option(d.name(), filter.get("destination"))));
        h.append("</select></label><label>Outcome <select name=\"outcome\"><option value=\"\">all</option>");
        DeliveryLog.OUTCOMES.forEach(o -> h.append(option(o, filter.get("outcome"))));
        h.append("</select></label><label>Event id <input name=\"event\" value=\"")
                .append(esc(filter.getOrDefault("event", ""))).append("\"></label><button type=\"submit\">Filter")
                .append("</button></form><div class=\"scroll\"><table id=\"deliveries\"><thead><tr><th>Time</th>")
                .append("<th>Destination</th><th>Event</th><th>Type</th><th>Attempt</th><th>Answer</th>")
                .append("<th>Outcome</th><th>ms</th></tr></thead><tbody>\n");
        for (DeliveryLog.Attempt a : attempts) {
            h.append("<tr class=\"").append(a.outcome()).append("\"><td>").append(time(a.at().toString()))
                    .append("</td><td>").append(esc(a.destination())).append("</td><td class=\"event\">")
                    .append(esc(a.eventId())).append("</td><td>").append(esc(a.type())).append("</td><td class=\"num\">")
                    .append(a.attempt()).append("</td><td>").append(esc(a.answer())).append("</td><td>")
                    .append(a.outcome()).append(" <small>").append(esc(a.reason())).append("</small></td>")
                    .append("<td class=\"num\">").append(a.latencyMillis()).append("</td></tr>\n");
        }
        if (attempts.isEmpty()) {
            h.append("<tr><td colspan=\"8\" class=\"note\">No attempts match.</td></tr>\n");
        }
        h.append("</tbody></table></div></section>\n");
    }

    private static String option(String value, String selected) {
        return "<option" + (value.equals(selected) ? " selected" : "") + ">" + esc(value) + "</option>";
    }

    private static String cause(String cause) {
        return switch (cause) {
            case "hand" -> "by an operator";
            case "endpoint_down" -> "endpoint down";
            default -> "provider's window";
        };
    }

    /** An instant as HH:mm:ss, with the whole of it in a tooltip. */
    private static String time(String instant) {
        int t = instant.indexOf('T');
        String clock = t < 0 || instant.length() < t + 9 ? instant : instant.substring(t + 1, t + 9);
        return "<time datetime=\"" + esc(instant) + "\" title=\"" + esc(instant) + "\">" + esc(clock) + "</time>";
    }

    private static String number(Long n) {
        return n == null ? "<span class=\"note\">…</span>" : n.toString();
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
