"""`{% kept body %}…{% endkept %}`: the enclosed part of a page drawn once per audited change and kept per user
(apps/audit/memo.KeptBody, which the view passes as `body`). Inside, the names `body.compute()` gives are in the
context, and `{% csrf_token %}` writes a placeholder that each response replaces with its own token."""

from django import template

register = template.Library()


class KeptNode(template.Node):
    def __init__(self, nodelist: template.NodeList, body: template.base.FilterExpression):
        self.nodelist, self.body = nodelist, body

    def render(self, context) -> str:
        body = self.body.resolve(context)

        def draw(values: dict) -> str:
            with context.push(values):
                return self.nodelist.render(context)

        return body.render(draw)


@register.tag
def kept(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% kept %} takes one argument: the KeptBody the view passes.")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, parser.compile_filter(bits[1]))
