"The warranty look-up page"
import datetime as dt

from trytond.modules.aftersales_warranty.claim import Claim

from .page import route

CLAIMANTS = ['consumer', 'dealer']


@route('warranty')
def warranty(page):
    """Answer, per component, whether the product of a lot or date code
    is under warranty, and why (W1, W4)"""
    query = page.request.args
    values = {
        'product': query.get('product', '').strip(),
        'lot': query.get('lot', '').strip(),
        'purchase_date': query.get('purchase_date', '').strip(),
        'claimant': query.get('claimant', 'consumer'),
        }
    if not values['product']:
        return page.render('warranty.html', values=values)
    claim, error = _claim(page, values)
    if error:
        return page.render('warranty.html', status=400, values=values,
            error=error)
    Policy = page.pool.get('aftersales.warranty.policy')
    answers, = Policy.answer([claim])
    if isinstance(answers, Exception):
        return page.render('warranty.html', status=400, values=values,
            error=answers.message)
    return page.render('warranty.html', values=values, claim=claim,
        answers=answers)


def _claim(page, values):
    "Return the claim of the form's values, or the error to show"
    pool = page.pool
    Cause = pool.get('aftersales.warranty.cause')
    Date = pool.get('ir.date')
    Lot = pool.get('stock.lot')
    Product = pool.get('product.product')
    products = Product.search([
            ('code', '=', values['product']),
            ('type', '=', 'goods'),
            ], limit=1)
    if not products:
        return None, page.gettext('unknown_product', code=values['product'])
    product, = products
    lot = None
    if values['lot']:
        lots = Lot.search([
                ('product', '=', product.id),
                ['OR',
                    ('number', '=', values['lot']),
                    ('date_code', '=', values['lot']),
                    ],
                ], limit=1)
        if not lots:
            return None, page.gettext('unknown_lot',
                lot=values['lot'], product=product.rec_name)
        lot, = lots
    purchase_date = None
    if values['purchase_date']:
        try:
            purchase_date = dt.date.fromisoformat(values['purchase_date'])
        except ValueError:
            return None, page.gettext('invalid_date',
                date=values['purchase_date'])
    if values['claimant'] not in CLAIMANTS:
        return None, page.gettext('invalid_claimant')
    cause = Cause.quality_fault()
    return Claim(
        claim_date=Date.today(), claimant=values['claimant'],
        product=product, lot=lot, purchase_date=purchase_date,
        cause=Cause(cause) if cause else None), None
