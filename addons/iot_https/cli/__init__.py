from . import check_eligibility, connect_token
