"""Metric extraction per indicator family, on real report sentences, including the traps."""
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from ingest.extract import extract_metrics
from ingest.measures import Measure, split_measures


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
             "法律援助1175", "化解率达", "为0", "近", "余件", "百分之九十五", "个百分点"]


@settings(max_examples=200, deadline=None)
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
