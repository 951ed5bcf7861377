import sys
from playwright.sync_api import sync_playwright
CID = open("/tmp/lawyerqa_cid").read().strip()
EID = "88c24187-382a-45cf-855f-cfb1a86553ed"
B = "http://127.0.0.1:8021"
with sync_playwright() as p:
    br = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"])
    pg = br.new_page(viewport={"width": 1400, "height": 1000})
    pg.goto(B + "/login")
    pg.fill("input[name=email]", "kim.lawyer@firm.kr"); pg.fill("input[name=password]", "Lawyer-QA-2026!")
    pg.click("button[type=submit]"); pg.wait_for_load_state("networkidle")
    pg.goto(f"{B}/cases/{CID}"); pg.wait_for_timeout(2500)
    pg.screenshot(path="/tmp/lawyerqa_out/shots/case.png", full_page=True)
    open("/tmp/lawyerqa_out/shots/case.txt", "w").write(pg.inner_text("body"))
    pg.goto(f"{B}/cases/{CID}/evidence/{EID}"); pg.wait_for_timeout(2000)
    pg.screenshot(path="/tmp/lawyerqa_out/shots/evidence.png", full_page=True)
    open("/tmp/lawyerqa_out/shots/evidence.txt", "w").write(pg.inner_text("body"))
    pg.goto(f"{B}/cases/{CID}?draft=1"); pg.wait_for_timeout(4000)
    btns = pg.locator("text=초안").all()
    print([b.inner_text()[:30] for b in btns][:10])
    open("/tmp/lawyerqa_out/shots/case_draft.txt", "w").write(pg.inner_text("body"))
    pg.screenshot(path="/tmp/lawyerqa_out/shots/draft.png", full_page=True)
    br.close()
