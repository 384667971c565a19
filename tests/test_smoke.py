def test_home_renders_for_town_office(world, login):
    response = login(world.office).get("/")
    assert response.status_code == 200
    assert "示范岗申报截止" in response.content.decode()
