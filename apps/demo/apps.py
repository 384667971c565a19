from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The invented demo town (`load_demo`) and county-scale data for benchmarks (`gen_county`)."""

    name = "apps.demo"
    verbose_name = "演示与测试数据"
