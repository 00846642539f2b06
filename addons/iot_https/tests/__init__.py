from . import test_bad_input, test_cron, test_eligibility, test_iot_box, test_secret_hash, test_web_pages
