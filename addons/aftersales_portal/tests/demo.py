"""Demo data of the portal: a web user for some parties of the channel

build(data, config) runs after the other modules' demo builders (see
demo/build.py); it adds data['web_users'].
"""
from proteus import Model
from trytond.modules.aftersales_warranty.tests.demo import (
    USER_PASSWORD, _config)

# The web users' e-mails, and their party keys of aftersales_warranty's
# CHANNEL
OFFICE = 'guangzhou@example.com'
OTHER_OFFICE = 'shanghai@example.com'
STORE = 'store.guangzhou@example.com'
OTHER_STORE = 'store.shenzhen@example.com'
WEB_USERS = [
    (OFFICE, 'office_guangzhou'),
    (OTHER_OFFICE, 'office_shanghai'),
    (STORE, 'store_guangzhou'),
    (OTHER_STORE, 'store_shenzhen'),
    ]


def create_web_users(channel, web_users=WEB_USERS, config=None):
    """Create a web user per entry, with the password USER_PASSWORD;
    return {email: web user}"""
    config = _config(config)
    WebUser = Model.get('web.user', config=config)
    users = [WebUser(email=email, party=channel[key],
            password=USER_PASSWORD, email_valid=True)
        for email, key in web_users]
    WebUser.save(users)
    return {u.email: u for u in users}


def set_portal_company(company, config=None):
    "The portal's pages create the documents of the company"
    config = _config(config)
    User = Model.get('res.user', config=config)
    Company = Model.get('company.company', config=config)
    ModelData = Model.get('ir.model.data', config=config)
    user = User(ModelData.get_id(
            'aftersales_portal', 'user_portal', config.context))
    user.companies.append(Company(company.id))
    user.company = Company(company.id)
    user.save()


def build(data, config=None):
    set_portal_company(data['company'], config=config)
    data['web_users'] = create_web_users(data['channel'], config=config)
    return data
