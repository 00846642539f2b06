from .secret_hash import IssuedSecret, issue_secret, secret_index, verify_secret
