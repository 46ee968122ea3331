"""Real-shaped inputs built from a seed report: the same report as users' files arrive."""
from __future__ import annotations

import html

FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def as_html_page(text: str, site: str = "重庆市人民政府网") -> str:
    """A saved government page: nav, breadcrumb, metadata lines, article, footer link lists."""
    # The article ends where the captured page's footer began; its link lists go in <footer>.
    lines = text.split("扫一扫")[0].split("\n")
    head, body = lines[:6], lines[6:]
    paragraphs = "\n".join(f"<p>{html.escape(ln)}</p>" for ln in body if ln.strip())
    header = "\n".join(f"<div class='info'>{html.escape(ln)}</div>" for ln in head if ln.strip())
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{html.escape(head[2] if len(head) > 2 else '')}_{site}</title>
<meta name="SiteName" content="{site}"><script>var x = "无行政败诉案件100件";</script>
<style>.nav {{ color: red }}</style></head>
<body>
<div class="top-nav"><a href="/">首页</a> <a href="/zwgk">政务公开</a> <a href="/hd">互动交流</a></div>
<nav><ul><li>机构概况</li><li>政策文件</li><li>办事服务</li></ul></nav>
<div class="article">
{header}
<div class="content">
{paragraphs}
</div>
</div>
<div class="footer-links"><ul><li><a>国务院部门网站</a></li><li><a>地方政府网站</a></li>
<li><a>市政府部门网站</a></li><li><a>区(县)政府网站</a></li></ul></div>
<footer><p>扫一扫在手机打开当前页</p><p>主办单位: {site} 版权所有</p></footer>
</body></html>"""


def with_full_width_digits(text: str) -> str:
    return text.translate(FULL_WIDTH_DIGITS)


def jizhou_years() -> dict[str, str]:
    """The 蓟州 seed rewritten as its 2015 (蓟县) and 2016 (蓟州区, renamed that year) reports,
    each with a litigation passage phrased as the 武隆 seed phrases it."""
    from conftest import seed_text

    base = seed_text("001")
    anchor = "全面推进严格规范公正文明执法。"
    assert anchor in base

    def year(y: int, name: str, area: str, hearings: int, appearances: int, rate: str) -> str:
        text = base.replace("2024", str(y + 1)).replace("2023", str(y)).replace("2022", str(y - 1))
        text = text.replace("蓟州区", name)
        passage = f"{area}一审开庭{hearings}件,行政负责人出庭{appearances}件,行政负责人出庭率达到{rate}%。"
        return text.replace(anchor, anchor + passage, 1)

    return {"jixian_2015.txt": year(2015, "蓟县", "全县", 50, 40, "80"),
            "jizhou_2016.txt": year(2016, "蓟州区", "全区", 60, 54, "90")}
