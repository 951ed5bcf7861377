from playwright.sync_api import sync_playwright
CID = open("/tmp/lawyerqa_cid").read().strip()
B = "http://127.0.0.1:8021"
with sync_playwright() as p:
    br = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"])
    pg = br.new_page(viewport={"width": 1400, "height": 1000})
    pg.goto(B + "/login")
    pg.fill("input[name=email]", "kim.lawyer@firm.kr"); pg.fill("input[name=password]", "Lawyer-QA-2026!")
    pg.click("button[type=submit]"); pg.wait_for_load_state("networkidle")
    pg.goto(f"{B}/cases/{CID}?draft=7a13891c-47cc-4d97-8117-0d5bee8af55a"); pg.wait_for_timeout(3000)
    t = pg.inner_text("body"); i = t.find("서면 초안")
    print("WITH ID:", t[i:i+400])
    for lab in ["위자료", "친권·양육권", "양육비"]:
        pg.get_by_label(lab).check()
    pg.get_by_role("button", name="초안 생성").click(); pg.wait_for_timeout(8000)
    el = pg.locator("text=서면 초안").first
    el.scroll_into_view_if_needed()
    pg.screenshot(path="/tmp/lawyerqa_out/shots/draft_panel.png", full_page=False)
    pg.screenshot(path="/tmp/lawyerqa_out/shots/draft_full.png", full_page=True)
    t = pg.inner_text("body"); i = t.find("서면 초안")
    open("/tmp/lawyerqa_out/shots/draft_after.txt", "w").write(t[i:])
    print(pg.url)
    br.close()
