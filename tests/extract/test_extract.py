"""Metric extraction per indicator family, on real report sentences, including the traps."""
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.extract import ReportContext, extract_metrics
from ingest.parse.measures import Measure, split_measures


def read(text: str, kind: str = "results"):
    measure = Measure(0, None, 1, "一", None, 0, len(text), kind)
    return extract_metrics(text, [measure])


def facts(text: str, kind: str = "results"):
    """(indicator, value, unit, qualifier, scope) of the area totals `text` states, read as one
    results passage (breakdowns left out)."""
    return [(m.indicator, m.value, m.unit, m.qualifier, m.scope) for m in read(text, kind) if not m.breakdown]


def breakdowns(text: str):
    """(indicator, value, breakdown label) of the figures limited to a part of the area."""
    return [(m.indicator, m.value, m.breakdown) for m in read(text) if m.breakdown]


J, G = "jurisdiction", "government_as_party"


def test_reconsideration_family():
    assert facts("办理行政复议案件164件,区政府作为被申请人的行政复议案件维持率100%。") == [
        ("reconsideration.handled", 164, "件", None, J), ("reconsideration.upheld_rate", 100, "%", None, G)]
    assert facts("全年依法审结行政复议案件114件(含去年结转29件)、公开行政复议决定70余件。") == [
        ("reconsideration.closed", 114, "件", None, J)]
    assert facts("办理行政复议69件,其中调解终止17件、纠错数9件,复议后起诉率为2.89%、复议后败诉率为0。") == [
        ("reconsideration.handled", 69, "件", None, J), ("reconsideration.mediated", 17, "件", None, J),
        ("reconsideration.corrected", 9, "件", None, J), ("reconsideration.litigation_after_rate", Decimal("2.89"), "%", None, J),
        ("reconsideration.loss_after_rate", 0, "%", None, J)]
    assert facts("全年共收到行政复议申请120件,审结100件,纠错率10%。") == [
        ("reconsideration.received", 120, "件", None, J), ("reconsideration.closed", 100, "件", None, J),
        ("reconsideration.correction_rate", 10, "%", None, J)]
    assert facts("全年行政复议案件实质化解率96%。") == [("reconsideration.resolution_rate", 96, "%", None, J)]


def test_litigation_family():
    assert facts("全区一审开庭83件,行政负责人出庭80件,行政负责人出庭率达到98.76%,区政府为被告的行政应诉案件,"
                 "胜诉率100%,区政府领导出庭率100%。") == [
        ("litigation.hearings", 83, "件", None, J), ("litigation.head_appearances", 80, "件", None, J),
        ("litigation.head_appearance_rate", Decimal("98.76"), "%", None, J), ("litigation.win_rate", 100, "%", None, G),
        ("litigation.head_appearance_rate", 100, "%", None, G)]
    assert facts("行政诉讼40件,行政机关负责人出庭应诉率达100%。") == [
        ("litigation.cases", 40, "件", None, J), ("litigation.head_appearance_rate", 100, "%", None, J)]
    assert facts("全年新收行政诉讼案件56件,审结48件,败诉3件,败诉率6.25%。") == [
        ("litigation.cases", 56, "件", None, J), ("litigation.closed", 48, "件", None, J),
        ("litigation.lost", 3, "件", None, J), ("litigation.loss_rate", Decimal("6.25"), "%", None, J)]


def test_government_as_party_scope_is_never_mixed():
    assert facts("代理以县政府为被告的行政诉讼案件40余件,提出法律意见700余条。") == [
        ("litigation.cases", 40, "件", "余", G)]
    assert facts("2022年至今街道无行政败诉和行政复议案件。") == [
        ("litigation.lost", 0, "件", None, G), ("reconsideration.received", 0, "件", None, G)]
    assert facts("全区全年无行政败诉案件。") == [("litigation.lost", 0, "件", None, J)]


def test_mediation_family_and_its_traps():
    assert facts("调解各类矛盾纠纷12784件,调解成功12713件,调解成功率达99.4%。") == [
        ("mediation.disputes", 12784, "件", None, J), ("mediation.succeeded", 12713, "件", None, J),
        ("mediation.success_rate", Decimal("99.4"), "%", None, J)]
    # A breakdown after 其中 repeats indicators already stated: not new figures.
    assert facts("排查全区矛盾纠纷456件,化解221件,其中重点矛盾纠纷115件,化解68件。") == [
        ("mediation.disputes", 456, "件", None, J), ("mediation.succeeded", 221, "件", None, J)]
    # A weak phrasing (排查) yields to a strong one (调解) for the same indicator.
    assert facts("排查各类矛盾纠纷600余起,调解案件共409件(其中蓝丝带物业272件),化解率达到99%以上。") == [
        ("mediation.disputes", 409, "件", None, J), ("mediation.success_rate", 99, "%", "以上", J)]
    # Administrative disputes and petitions are not mediation.
    assert facts("开展行政争议案件协调化解21件,成功化解20件,化解率95%。") == []
    assert facts("累计化解信访积案10件,化解率约95%。") == []
    # 化解 alone is a success count only after a dispute count.
    assert facts("化解涉民企矛盾纠纷12件、解答涉民企法律问题62个。") == []


def test_legal_aid_and_dropped_characters():
    assert facts("办结法律援助案件437件,为受援人挽回经济损失491.19万元。") == [
        ("legal_aid.cases", 437, "件", None, J), ("legal_aid.recovered_amount", 4911900, "元", None, J)]
    # A page that lost its 件: recovered when the figure sits right after the trigger.
    assert facts("为困难群众提供法律援助1175挽回经济损失1929万余元。") == [
        ("legal_aid.cases", 1175, "件", None, J), ("legal_aid.recovered_amount", 19290000, "元", "余", J)]
    assert facts("举办培训班28培训2300人次。") == []
    assert facts("全年受理法律援助案件共616件,其中民事案件306件,刑事案件303件,提供法律咨询3344人次。") == [
        ("legal_aid.cases", 616, "件", None, J), ("legal_aid.consultations", 3344, "人次", None, J)]


def test_normative_documents_and_enforcement():
    assert facts("审查各类文件126件、合同125件、涉法事务23件,清理废止14件行政规范性文件。") == [
        ("normative_docs.reviewed", 126, "件", None, J), ("normative_docs.repealed", 14, "件", None, J)]
    assert facts("对重点领域按照一般程序办结的50件行政处罚案卷进行了集中评查,提出整改意见80条。") == [
        ("enforcement.case_files_reviewed", 50, "件", None, J)]
    assert facts("线上评查执法案卷410本。") == [("enforcement.case_files_reviewed", 410, "件", None, J)]
    assert facts("组织全区700余名行政执法人员开展线上线下法治教育执法培训。") == [
        ("enforcement.officers_trained", 700, "人", "余", J)]


def test_plans_targets_and_changes_are_not_results():
    assert facts("力争行政诉讼败诉率控制在5%以内。") == []
    assert facts("通过系统申办业务3963件,同比上升17.2%。") == []
    assert facts("行政机关负责人出庭应诉率同比提高5个百分点。") == []
    assert facts("行政机关负责人出庭应诉率达100%。", kind="plans") == []
    report = ("一、主要举措和成效\n全年行政机关负责人出庭应诉率达95%。\n"
              "二、存在的问题\n一是败诉率偏高,达到12%。\n"
              "三、2024年工作安排\n一是行政机关负责人出庭应诉率达到100%。\n")
    measures = split_measures(report, 0)
    got = [(m.indicator, m.value) for m in extract_metrics(report, measures)]
    assert got == [("litigation.head_appearance_rate", 95)]


FRAGMENTS = ["办理行政复议案件164件", "其中", "出庭率达到98.76%", "无行政败诉", "区政府作为被申请人的",
             "挽回经济损失1929万余元", "同比上升17.2%", "调解成功", "、", ",", "。", "\n", "一是", "(一)",
             "法律援助1175", "化解率达", "为0", "近", "余件", "百分之九十五", "个百分点",
             # discourse and tables: asides left open, breakdowns, periods, roles, table rows
             "(", "（含", ")", "《", "》", " | ", "|", "合计", "2019年以来", "上年同期为", "县人社局作为被告",
             "涉企", "医疗纠纷人民调解委员会", "；", "受理", "共计", "2023年", "行政复议", "法律援助方面,"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=30))
def test_evidence_is_always_the_text_at_its_offsets(parts):
    text = "".join(parts)
    measure = Measure(0, None, 1, "一", None, 0, len(text), "results")
    for m in extract_metrics(text, [measure]):
        assert text[m.start:m.end] == m.evidence
        assert m.value >= 0


def test_other_units_and_chinese_numerals():
    assert facts("行政机关负责人出庭应诉56件次,出庭应诉率100%。") == [
        ("litigation.head_appearances", 56, "件", None, J), ("litigation.head_appearance_rate", 100, "%", None, J)]
    assert facts("全年办理行政复议案件二十三件,作出撤销、变更、确认违法等纠错决定五件。") == [
        ("reconsideration.handled", 23, "件", None, J), ("reconsideration.corrected", 5, "件", None, J)]
    assert facts("以市政府为被告的一审行政诉讼案件败诉2例。") == [("litigation.lost", 2, "件", None, G)]


def test_figure_before_its_phrase_and_short_rates():
    assert facts("全年共调解矛盾纠纷320件,成功率98.1%。") == [
        ("mediation.disputes", 320, "件", None, J), ("mediation.success_rate", Decimal("98.1"), "%", None, J)]
    assert facts("对35件规范性文件进行合法性审核,对12件规范性文件予以废止。") == [
        ("normative_docs.reviewed", 35, "件", None, J), ("normative_docs.repealed", 12, "件", None, J)]
    assert facts("区公证处全年办理公证2310件。") == [("notarization.cases", 2310, "件", None, J)]
    # 成功率 alone, with no mediation count before it, is not a mediation rate.
    assert facts("项目申报成功率达到85%。") == []


def test_government_subject_carries_over_until_an_area_wide_subject():
    assert facts("区政府作为被告的行政诉讼案件47件,无败诉案件。") == [
        ("litigation.cases", 47, "件", None, G), ("litigation.lost", 0, "件", None, G)]
    # Cases lodged against the government itself are applications it received as respondent.
    assert facts("以区政府为被申请人的行政复议案件35件,全区行政诉讼案件218件。") == [
        ("reconsideration.received", 35, "件", None, G), ("litigation.cases", 218, "件", None, J)]


def test_weak_phrasing_inside_a_longer_name_is_still_weak():
    # 人民调解组织 ... 排查: the count is of disputes screened, which yields to the mediated count.
    assert facts("全区各级人民调解组织共排查矛盾纠纷8420件,调解矛盾纠纷7865件,调解成功7812件。") == [
        ("mediation.disputes", 7865, "件", None, J), ("mediation.succeeded", 7812, "件", None, J)]
    assert facts("全年审核区政府及区政府办公室规范性文件12件,开展行政执法案卷评查,共评查案卷320卷。") == [
        ("normative_docs.reviewed", 12, "件", None, J), ("enforcement.case_files_reviewed", 320, "件", None, J)]


def test_publicity_counts_only_when_about_law():
    assert facts("开展食品安全宣传活动30场。") == []
    assert facts("开展民法典主题宣传活动45场次,普法宣传活动284场。") == [
        ("legal_education.events", 45, "场次", None, J), ("legal_education.events", 284, "场次", None, J)]


def test_targets_are_judged_in_their_clause():
    assert facts("完成年度目标任务,全年办理行政复议案件164件。") == [("reconsideration.handled", 164, "件", None, J)]
    assert facts("制定年度普法计划,开展普法宣传活动200场次。") == [("legal_education.events", 200, "场次", None, J)]
    assert facts("下一步,我们将继续推进,行政机关负责人出庭应诉率达到100%。") == []
    assert facts("力争实现无行政败诉案件。") == []


def test_a_level_kept_is_a_result_but_a_level_aimed_at_is_not():
    assert facts("调解成功率保持在98%以上。") == [("mediation.success_rate", 98, "%", "以上", J)]
    assert facts("力争全年行政复议纠错率保持在10%以上。") == []


def test_passive_voice_limits_to_the_body_itself():
    assert facts("全年被申请行政复议案件23件,被复议纠错2件。") == [
        ("reconsideration.received", 23, "件", None, G), ("reconsideration.corrected", 2, "件", None, G)]


def test_study_campaigns_and_lectures_are_not_legal_education():
    assert facts("开展学习贯彻习近平新时代中国特色社会主义思想主题教育专题学习20场。") == []
    assert facts("举办乡村振兴专题讲座12场,开展法治讲座30场。") == [("legal_education.events", 30, "场次", None, J)]


def test_lawyers_do_legal_aid_and_mediation_too():
    assert facts("指派律师办理法律援助案件320件,律师调解矛盾纠纷85件。") == [
        ("legal_aid.cases", 320, "件", None, J), ("mediation.disputes", 85, "件", None, J)]
    assert facts("指派律师现场值班200人次。") == []


# --- Discourse: what the passage is about, who a figure is about, and when ----------------------

def test_topic_in_a_heading_carries_to_bare_counts():
    text = "(三)行政复议工作\n全年收到申请86件,依法受理79件,不予受理7件;审结76件。\n(四)法律援助\n全年受理148件,办结139件。\n"
    measures = split_measures(text, 0)
    got = [(m.indicator, m.value) for m in extract_metrics(text, measures) if not m.breakdown]
    assert got == [("reconsideration.received", 86), ("reconsideration.received", 79),
                   ("reconsideration.closed", 76), ("legal_aid.cases", 148), ("legal_aid.cases", 139)]


def test_topic_named_after_the_figure_in_its_clause():
    assert facts("全年共办理120件行政复议案件。") == [("reconsideration.handled", 120, "件", None, J)]


def test_a_bare_verb_with_an_object_of_its_own_is_no_count():
    # Under a legal-aid topic, 提供认罪认罚案件 and 法律代书 are other services.
    assert facts("法律援助工作中,提供认罪认罚案件350起,提供法律代书158件,办结援助案件96件。") == [
        ("legal_aid.cases", 96, "件", None, J)]


def test_a_clause_that_names_the_phrase_passes_it_to_a_bare_figure():
    assert facts("行政诉讼败诉率比上年有所下降,实际为3.6%。") == [("litigation.loss_rate", Decimal("3.6"), "%", None, J)]
    assert facts("以区政府为被申请人的案件由市政府审理,全年共12件。") == [("reconsideration.received", 12, "件", None, G)]


def test_brackets_and_titles_between_phrase_and_figure():
    assert facts("废止《某某区城市管理暂行办法》《某某区市容管理规定》等规范性文件8件。") == [
        ("normative_docs.repealed", 8, "件", None, J)]
    # A figure inside an aside is not a statement of its own.
    assert facts("全年审结行政复议案件143件(含上年结转11件)。") == [("reconsideration.closed", 143, "件", None, J)]


def test_figures_without_measure_words():
    assert facts("全年提供法律援助936,解答法律咨询4120人次。") == [
        ("legal_aid.cases", 936, "件", None, J), ("legal_aid.consultations", 4120, "人次", None, J)]
    # A numbered heading is not a count, nor a number that names a service.
    assert facts("5.加强行政复议和行政应诉工作") == []
    assert facts("开通法律援助12348热线,全年办理法律援助案件120件。") == [("legal_aid.cases", 120, "件", None, J)]


def test_subsets_are_breakdowns_not_totals():
    assert facts("为农民工提供法律援助286件,挽回欠薪1240万元。") == []
    assert breakdowns("为农民工提供法律援助286件,挽回欠薪1240万元。") == [("legal_aid.cases", 286, "农民工")]
    # A committee as subject limits every figure after it in the sentence.
    assert breakdowns("县医疗纠纷人民调解委员会受理医疗纠纷93件,调解成功88件。") == [
        ("mediation.disputes", 93, "医疗纠纷"), ("mediation.succeeded", 88, "医疗纠纷")]
    # A beneficiary in a clause of its own does not.
    assert facts("为农民工开通法律援助绿色通道,全年办理法律援助案件1536件。") == [("legal_aid.cases", 1536, "件", None, J)]
    # A list of types names the whole (刑事、民事、行政等各类).
    assert facts("办理刑事、民事、行政等各类法律援助案件1284件。") == [("legal_aid.cases", 1284, "件", None, J)]


def test_a_breakdown_after_qizhong_ends_at_the_semicolon():
    text = "共受理法律援助案件3126件,其中刑事案件1211件、民事案件1873件;办结案件2987件,为受援人挽回经济损失5612万元。"
    assert facts(text) == [("legal_aid.cases", 3126, "件", None, J), ("legal_aid.cases", 2987, "件", None, J),
                           ("legal_aid.recovered_amount", 56120000, "元", None, J)]
    text = "全县行政机关共应诉行政诉讼案件62件,其中县政府作为被告18件;开庭审理56件,负责人出庭应诉56件。"
    assert facts(text) == [("litigation.cases", 62, "件", None, J), ("litigation.cases", 18, "件", None, G),
                           ("litigation.hearings", 56, "件", None, J), ("litigation.head_appearances", 56, "件", None, J)]


def test_one_department_as_party_is_a_part_of_the_area():
    assert facts("县人社局作为被告的行政诉讼案件19件。") == []
    assert breakdowns("县人社局作为被告的行政诉讼案件19件。") == [("litigation.cases", 19, "县人社局")]
    assert facts("全市行政机关作为被告的一审行政诉讼案件共计1530件。") == [("litigation.cases", 1530, "件", None, J)]


def test_other_years_are_not_results():
    assert facts("近三年共调解矛盾纠纷31206件。") == []
    assert facts("与上年度的142件相比,今年行政诉讼案件数量下降至118件。") == [("litigation.cases", 118, "件", None, J)]
    # Over the past year (一年来) is the reporting year.
    assert facts("一年来,全区共办理法律援助案件620件。") == [("legal_aid.cases", 620, "件", None, J)]


def test_years_compared_with_the_report_year():
    measure = Measure(0, None, 1, "一", None, 0, 60, "results")
    text = "2022年受理行政复议案件96件。2023年受理行政复议案件120件。"
    got = extract_metrics(text, [measure], ReportContext(report_year=2023))
    assert [(m.indicator, m.value) for m in got] == [("reconsideration.received", 120)]


def test_negated_verbs_state_no_count():
    assert facts("依法受理79件,不予受理7件。") == []  # no topic: 受理 alone names nothing
    assert facts("行政复议申请依法受理79件,不予受理7件。") == [("reconsideration.received", 79, "件", None, J)]


def test_a_headline_that_rounds_the_body_is_not_a_second_figure():
    text = "法律援助为民办实事:办理案件超800件\n全年办理法律援助案件823件。\n"
    assert facts(text) == [("legal_aid.cases", 823, "件", None, J)]


# --- Tables: rows read with their headers ----------------------------------------------------------

def test_table_rows_with_year_columns_keep_the_report_year():
    text = ("2023年度行政复议行政应诉工作统计\n| 项目 | 2022年 | 2023年 | 同比 |\n| 收到复议申请(件) | 412 | 486 | 18.0% |\n"
            "| 受理(件) | 380 | 451 | 18.7% |\n| 纠错率 | 11.2% | 11.9% | 0.7个百分点 |\n| 一审行政诉讼案件(件) | 198 | 176 | -11.1% |\n")
    got = [(m.indicator, m.value, m.evidence) for m in read(text)]
    assert got == [("reconsideration.received", 486, "收到复议申请(件) | 412 | 486 | 18.0%"),
                   ("reconsideration.received", 451, "受理(件) | 380 | 451 | 18.7%"),
                   ("reconsideration.correction_rate", Decimal("11.9"), "纠错率 | 11.2% | 11.9% | 0.7个百分点"),
                   ("litigation.cases", 176, "一审行政诉讼案件(件) | 198 | 176 | -11.1%")]


def test_table_row_of_label_value_pairs_and_unit_rows():
    assert facts("法律援助 | 受理 | 500 | 办结 | 480 | 挽回经济损失(万元) | 1,043.6") == [
        ("legal_aid.cases", 500, "件", None, J), ("legal_aid.cases", 480, "件", None, J),
        ("legal_aid.recovered_amount", 10436000, "元", None, J)]
    text = "序号 | 乡镇 | 调解纠纷数\n1 | 城关镇 | 214\n2 | 东坝镇 | 167\n合计 | | 381\n"
    assert facts(text) == [("mediation.disputes", 381, "件", None, J)]
    assert breakdowns(text) == [("mediation.disputes", 214, "城关镇"), ("mediation.disputes", 167, "东坝镇")]


def test_statistics_table_with_unit_prior_year_and_change_columns():
    text = ("| 指标名称 | 单位 | 本年累计 | 上年同期 | 增减(%) |\n| 法律援助案件受理数 | 件 | 1,286 | 1,102 | 16.7 |\n"
            "| 为受援人挽回经济损失 | 万元 | 2,365.8 | 1,986.2 | 19.1 |\n| 调解成功率 | % | 99.2 | 98.9 | 0.3 |\n")
    assert facts(text) == [("legal_aid.cases", 1286, "件", None, J), ("legal_aid.recovered_amount", 23658000, "元", None, J),
                           ("mediation.success_rate", Decimal("99.2"), "%", None, J)]


def test_table_of_organs_gives_parts_and_the_total_row():
    text = ("2023年行政复议案件办理情况统计表\n| 行政复议机关 | 收案数 | 审结数 | 维持 | 撤销 | 纠错率 |\n"
            "| 县人民政府 | 128 | 109 | 72 | 9 | 12.8% |\n| 县公安局 | 6 | 6 | 5 | 1 | 16.7% |\n| 合计 | 134 | 115 | 77 | 10 | 13.0% |\n")
    assert facts(text) == [("reconsideration.received", 134, "件", None, J), ("reconsideration.closed", 115, "件", None, J),
                           ("reconsideration.correction_rate", 13, "%", None, J)]
    assert {b for _, _, b in breakdowns(text)} == {"县人民政府", "县公安局"}


def test_lines_a_layout_wrapped_mid_sentence_are_read_as_one():
    text = ("（一）行政复议。全年共受理行政复议申请\n120件，审结行政复议案件115件，直接纠错\n"
            "率为10.5%。法律援助方面，全年办结法律援\n助案件 86 件。\n")
    got = [(m.indicator, m.value, m.evidence) for m in extract_metrics(text, split_measures(text, 0))]
    assert got == [("reconsideration.received", 120, "受理行政复议申请\n120件"),
                   ("reconsideration.closed", 115, "审结行政复议案件115件"),
                   ("reconsideration.correction_rate", Decimal("10.5"), "纠错\n率为10.5%"),
                   ("legal_aid.cases", 86, "法律援\n助案件 86 件")]


# ---- plausible ranges (indicators.yaml): a figure outside is kept and flagged -------------------

def test_an_implausible_figure_is_kept_and_flagged_out_of_range():
    from conftest import seed_text
    from ingest.parse import parse_bytes

    # (Below 10^15: a larger value is no figure at all, tests/text/test_figure_bounds.py.)
    text = seed_text("002").replace("纠错数9件", "纠错数99999999999件")
    parsed = parse_bytes(text.encode("utf-8"), "seed.txt")
    flagged = [m for m in parsed.metrics if m.out_of_range]
    assert [(m.indicator, m.value) for m in flagged] == [("reconsideration.corrected", Decimal("99999999999"))]
    assert flagged[0].as_json()["out_of_range"] is True
    assert parsed.warnings == ["1 figure outside the indicator's plausible range (kept, flagged out_of_range)"]
    # Every other figure of the report is as it was, and in range.
    before = parse_bytes(seed_text("002").encode("utf-8"), "seed.txt")
    assert {(m.indicator, m.value) for m in parsed.metrics if not m.out_of_range} == \
        {(m.indicator, m.value) for m in before.metrics if m.indicator != "reconsideration.corrected" or m.value != 9}
    assert not any(m.out_of_range for m in before.metrics)


def test_ranges_by_unit_with_overrides_in_the_catalogue():
    from ingest.extract import catalogue

    rows = {r["code"]: r for r in catalogue.rows()}
    assert all(r["min_value"] is not None and r["max_value"] is not None for r in rows.values())
    assert all((r["min_value"], r["max_value"]) == (0, 100) for r in rows.values() if r["unit"] == "%")
    assert (rows["reconsideration.corrected"]["min_value"], rows["reconsideration.corrected"]["max_value"]) == (0, 5_000_000)
    assert rows["mediation.disputes"]["max_value"] == 20_000_000          # an override of the 件 default
    assert rows["legal_aid.recovered_amount"]["max_value"] == 100_000_000_000
    mediated = read("全县共调解矛盾纠纷19000000件,调解成功18000000件。")
    assert [(m.indicator, m.out_of_range) for m in mediated] == [("mediation.disputes", False), ("mediation.succeeded", False)]
    assert [m.out_of_range for m in read("全年办理行政复议案件6000000件。")] == [True]
