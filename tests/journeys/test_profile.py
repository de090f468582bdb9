"""The profile journey, written once, over the engine seam, the console and Telegram: a
newcomer answers every question, reads their profile and changes one answer."""

from __future__ import annotations

from tests.kit.drivers.protocol import Driver

PROFILE_ROWS = ["1. First name: Ann", "2. Last name: Lee", "3. Phone: +380501112233",
                "4. Work: ACME", "5. How often: Every week",
                "6. Motivation: Networking, Making friends", "7. Topics: Design, Books",
                "8. About me: I brew coffee & like tea", "9. Language: English"]


def test_a_newcomer_registers_reads_and_edits_the_profile(driver: Driver) -> None:
    driver.command("start")
    assert driver.sees("Hello! I am the Random Coffee bot.")
    driver.sees("1. What is your first name?")
    driver.send("Ann")
    driver.sees("2. And your last name?")
    driver.send("Lee")
    driver.sees("3. Share your phone number")
    driver.share_contact()
    driver.sees("4. Where do you work, or what do you do?")
    driver.send("ACME")
    driver.sees("5. How often would you like to meet?")
    assert driver.buttons() == ["Every week", "Every two weeks"]
    driver.press("Every week")
    driver.sees("6. Why do you want to meet people?")
    for label in ("Networking", "Having fun", "Having fun", "Making friends"):
        driver.press(label)
    assert [label for label in driver.buttons() if label.startswith("✅")] == [
        "✅ Networking", "✅ Making friends"]
    driver.press("Done")
    driver.sees("7. What would you like to talk about?")
    driver.press("Design")
    driver.press("Books")
    driver.press("Done")
    driver.sees("8. Tell your future partners")
    driver.send("I brew coffee & like tea")
    driver.sees("9. Which language should I speak with you?")
    driver.press("English")

    profile = driver.sees("Your profile")
    for row in PROFILE_ROWS:
        assert row in profile
    assert driver.buttons()[0] == "Edit an answer"

    driver.press("Edit an answer")
    driver.press("4. Work")
    driver.sees("4. Where do you work, or what do you do?")
    driver.send("Grain Coffee")
    edited = driver.sees("Your profile")
    assert "4. Work: Grain Coffee" in edited
    for row in PROFILE_ROWS:
        assert row in edited or row.startswith("4. ")
