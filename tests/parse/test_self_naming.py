"""How a page names itself and its issuer when no title or label says it (issue 21's metadata
family): a purpose preamble before the acting body, 现将某市…报告如下, a lone place of the page's own
level, a municipality's 全市, a province's short name, short forms of a body's name written in full
elsewhere, and a reporter's preposition before the body. Paraphrased shapes, not page text."""
from ingest.parse.report import parse_bytes


def _parse(text: str) -> dict:
    return parse_bytes(text.encode("utf-8"), "page.txt").as_json()


def test_body_after_a_purpose_preamble_and_a_date_range():
    got = _parse("为压实执法责任，规范执法程序，提升办案质量，按照《执法监督办法》要求，9月3日至9月20日，"
                 "信阳市人民政府行政执法协调监督局组织开展年度案卷评查，共评查案卷80余卷。\n")
    assert (got["jurisdiction"]["code"], got["issuer"]) == ("411500", "信阳市人民政府行政执法协调监督局")


def test_report_names_itself_in_xianjiang_clause():
    got = _parse("根据州委依法治州办的通知要求，现将弥勒市2023年法治政府建设情况报告如下。\n"
                 "一、主要举措\n2023年，在州委、州政府的领导下，全市上下扎实推进依法行政。\n")
    assert got["jurisdiction"]["code"] == "532504"


def test_the_one_place_of_the_pages_level():
    got = _parse("2023年，市政府坚持以习近平法治思想为指导，统筹推进全市法治政府建设，"
                 "为赤峰高质量发展提供法治保障。\n一、主要做法\n全市办理行政复议案件300余件。\n")
    assert got["jurisdiction"]["code"] == "150400"


def test_a_municipality_calls_itself_a_city():
    got = _parse("记者从市司法局获悉，今年以来，全市人民调解组织积极化解矛盾纠纷，天津市共建成调解组织"
                 "三千余个，天津市各区司法所全部设立调解室。\n")
    assert got["jurisdiction"]["code"] == "120000"
    district = _parse("今年以来，区司法局在区委领导下，深入贯彻市委全会精神，推动全区法治建设，"
                      "为天津高质量发展作出贡献，天津市各部门给予支持。\n")
    assert district["jurisdiction"]["code"] is None   # 区委 says: one of the city's districts


def test_a_province_by_its_short_name():
    filler = "各级司法行政机关坚持需求导向，推动服务资源向基层延伸，群众办事更加便捷。" * 8
    got = _parse("8月5日，记者从省政府新闻办举行的发布会上了解到，省司法厅着力完善调解网络，全省四级调解体系实现全覆盖。\n"
                 + filler + "\n据介绍，辽宁已建成调解组织1.2万个，辽宁各地调解员队伍不断壮大。\n")
    assert got["jurisdiction"]["code"] == "210000"


def test_issuer_short_forms_written_in_full_elsewhere():
    got = _parse("记者从湖州中院获悉，湖州市中级人民法院近日发布行政审判白皮书，全市法院共受理一审行政案件900余件。\n")
    assert got["issuer"] == "湖州市中级人民法院"
    level = _parse("19日从市司法局获悉，今年以来，苏州市司法局推进法治惠民工程，全市办理法律援助案件8000余件。\n")
    assert level["issuer"] == "苏州市司法局"


def test_reporters_preposition_is_not_part_of_the_body():
    got = _parse("新华社北京3月2日电 记者2日从司法部召开的新闻发布会获悉，全国行政复议工作取得新进展。\n")
    assert got["issuer"] == "司法部"


def test_a_bare_name_inside_a_word_is_no_place():
    ministry = _parse("自然资源部2024年政府信息公开工作报告\n根据条例要求，结合本部实际，编制本报告。\n")
    assert ministry["jurisdiction"]["name"] == "中华人民共和国"   # not 资源县
    city = _parse("半月谈|市司法局：以法促治 书写超大城市治理答卷\n日期：2026-02-02\n"
                  "重庆市司法局推进调解工作，重庆市全年办结调解案件51万件。\n")
    assert city["jurisdiction"]["code"] == "500000"               # not 大城县


def test_header_table_laid_out_with_spaces_and_a_level_only_body():
    got = _parse("西双版纳州2020年法治政府建设工作报告\n2021-02-26  \n 索 引 号  zzf/2021-00044  发布机构  州政府\n"
                 " 文  号  西政〔2021〕5号  发布日期  2021-02-26\n\n2020年，全州深入推进依法行政。\n")
    assert got["issuer"] == "州政府"
    own = _parse("根据督察工作规定要求，现将省政府2023年度法治政府建设情况报告如下。\n一、主要举措\n")
    assert own["issuer"] == "省政府"


def test_bodies_that_name_themselves_in_news_openings_and_titles():
    office = _parse("嘉兴市南湖区司法局新兴司法所全面落实枫桥经验，创新调解工作方法，今年以来调解纠纷210件。\n")
    assert office["issuer"] == "嘉兴市南湖区司法局新兴司法所"
    centre = _parse("7月10日，记者从市法律援助中心获悉，截至6月底，全市共办理法律援助案件1200件。\n")
    assert centre["issuer"] == "市法律援助中心"
    since = _parse("主题教育开展以来，奉节县司法局聚焦群众急难愁盼，建成县乡村三级公共法律服务体系。\n")
    assert since["issuer"] == "奉节县司法局"
    title = _parse("南岸区司法局多措并举 筑牢人民调解第一道防线\n今年以来，全区调解组织共调解纠纷1500件。\n")
    assert title["issuer"] == "南岸区司法局"


def test_the_body_that_held_the_briefing_and_a_title_spaced_after_its_body():
    briefing = _parse("本文来源：新华网\n5月19日，记者从市高级人民法院新闻发布会上获悉，去年全市法院新收一审行政案件9000余件。\n")
    assert briefing["issuer"] == "市高级人民法院"
    spaced = _parse("首页 -> 法院公告\n\n漯河市中级人民法院 行政案件司法审查年度报告 (2022)\n\n发布时间:2023-05-15 16:38:43\n\n"
                    "2022年，在市委的正确领导下，我院认真履行行政审判职责。\n")
    assert spaced["issuer"] == "漯河市中级人民法院"
    joint = _parse("中共某某镇委员会 青山镇人民政府青山镇2024年法治政府建设工作情况报告\n2024年，全镇依法行政。\n")
    assert joint["issuer"] != "中共某某镇委员会"   # the first of two bodies is not the issuer by itself


def test_bare_names_as_people_write_them():
    city = _parse("湖南长沙去年全市两级法院共受理行政案件3100件\n来源：某某新闻网 2021-07-21\n"
                  "今天上午，笔者从中院召开的行政审判白皮书发布会上获悉，去年全市两级法院共受理行政案件3100件。\n")
    assert city["jurisdiction"]["code"] == "430100"    # 长沙 the city, not 长沙县 inside it
    province = _parse("吉林高效审理行政案件 助推法治政府建设\n近日，记者获悉，去年吉林法院共受理各类行政案件8000余件。\n")
    assert province["jurisdiction"]["code"] == "220000"   # 吉林 the province; the city is 吉林市
    whole = _parse("今年以来，在自治区党委领导下，全州各级政府坚持依法行政，巴音郭楞蒙古自治州法治建设取得新进展。\n")
    assert whole["jurisdiction"]["code"] != "450324"   # 全州: the whole prefecture, not 全州县
